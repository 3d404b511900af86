import { testEndpoints, uniqueName } from '@lm/testing';
import { now } from './clock';

/** One REST call straight to Elasticsearch (NDJSON for `_bulk`, JSON otherwise); the answer parsed, whatever its status. */
export async function esJson<T>(path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<T> {
  const res = await fetch(`${testEndpoints().elasticsearchUrl}${path}`, {
    method,
    headers: { 'content-type': path.includes('_bulk') ? 'application/x-ndjson' : 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return (await res.json()) as T;
}

/** How many of `ids` the matching index holds (live or tombstone), counted in _mget pages. */
export async function indexedCount(alias: string, ids: string[]): Promise<number> {
  let found = 0;
  for (let i = 0; i < ids.length; i += 2000) {
    const res = await esJson<{ docs: { found: boolean }[] }>(`/${alias}/_mget?_source=false`, { ids: ids.slice(i, i + 2000) });
    found += res.docs.filter((d) => d.found).length;
  }
  return found;
}

/** Searchable documents whose name starts with `prefix` (cheap enough to sample every 500 ms). */
export async function countByName(alias: string, prefix: string): Promise<number> {
  const res = await esJson<{ count?: number }>(`/${alias}/_count`, { query: { prefix: { name: prefix } } });
  return res.count ?? 0;
}

export interface IndexedDoc {
  _id: string;
  _source: Record<string, unknown>;
}

/** Every document of the matching index, as the service wrote it (search_after pages). */
export async function indexDocuments(alias: string): Promise<IndexedDoc[]> {
  const out: IndexedDoc[] = [];
  let after: unknown[] | undefined;
  for (;;) {
    const res = await esJson<{ hits: { hits: (IndexedDoc & { sort: unknown[] })[] } }>(`/${alias}/_search`, {
      size: 5000,
      sort: [{ id: 'asc' }],
      query: { match_all: {} },
      ...(after ? { search_after: after } : {}),
    });
    const hits = res.hits.hits;
    if (!hits.length) return out;
    for (const h of hits) out.push({ _id: h._id, _source: h._source });
    after = hits[hits.length - 1]!.sort;
  }
}

/**
 * Raw-engine baseline: `_bulk` of `docs` into a scratch index with the matching index's own
 * mapping and settings, 1,000 documents a request, one request at a time; returns the ms.
 */
export async function rawBulk(alias: string, docs: IndexedDoc[]): Promise<number> {
  const concrete = Object.keys(await esJson<Record<string, unknown>>(`/${alias}/_alias`))[0]!;
  const mapping = (await esJson<Record<string, { mappings: unknown }>>(`/${concrete}/_mapping`))[concrete]!.mappings;
  const scratch = uniqueName('bench-raw');
  await esJson(`/${scratch}`, { settings: { number_of_shards: 1, number_of_replicas: 0 }, mappings: mapping }, 'PUT');
  try {
    const t = now();
    for (let i = 0; i < docs.length; i += 1000) {
      const body =
        docs
          .slice(i, i + 1000)
          .flatMap((d) => [JSON.stringify({ index: { _index: scratch, _id: d._id } }), JSON.stringify(d._source)])
          .join('\n') + '\n';
      const res = await esJson<{ errors: boolean }>('/_bulk', body);
      if (res.errors) throw new Error('raw _bulk baseline: items failed');
    }
    await esJson(`/${scratch}/_refresh`, {});
    return now() - t;
  } finally {
    await esJson(`/${scratch}`, undefined, 'DELETE');
  }
}
