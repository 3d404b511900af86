import { Client, errors } from '@elastic/elasticsearch';
import type { Organisation } from '@lm/contracts';
import { AppError } from '@lm/errors';
import type { ListFilter, ListSort } from '../domain/list.query';
import type { OrganisationSearch, SearchPage } from '../domain/organisation.search';
import type { StoredOrganisation } from '../domain/organisation.store';

/**
 * Explicit mapping (dynamic: false): filters are keywords, the full text uses the standard
 * analyzer (the only one the local distribution has; see NOTES.md), the organisation itself
 * is kept whole in `org` (not indexed) so a list is one search and no database read.
 */
const MAPPING = {
  dynamic: false,
  properties: {
    id: { type: 'keyword' },
    deleted: { type: 'boolean' },
    kind: { type: 'keyword' },
    subtype: { type: 'keyword' },
    province: { type: 'keyword' },
    s3Areas: { type: 'keyword' },
    specialties: { type: 'keyword' },
    legalName: { type: 'text', analyzer: 'standard', fields: { sort: { type: 'keyword', normalizer: 'folded' } } },
    text: { type: 'text', analyzer: 'standard' },
    updatedAt: { type: 'date' },
    org: { type: 'object', enabled: false },
  },
} as const;
/**
 * Writes become searchable at the index's periodic refresh, not one forced per bulk: a forced
 * refresh per projection batch (one per topic partition per relay round) cost Elasticsearch
 * about 40 % more CPU on the 2 cores the API shares with it during a write burst (8.6 → 4.8 s of
 * CPU over 21 s of creates and patches). 500 ms keeps write → listed well under 1.5 s; an
 * explicit interval also keeps the shard refreshing when nobody has searched it for 30 s.
 */
const REFRESH_INTERVAL = '500ms';
const SETTINGS = {
  number_of_shards: 1,
  number_of_replicas: 0,
  refresh_interval: REFRESH_INTERVAL,
  analysis: { normalizer: { folded: { type: 'custom', filter: ['lowercase'] } } },
} as const;

type IndexedDoc = {
  id: string;
  deleted: boolean;
  kind?: string;
  subtype?: string;
  province?: string;
  s3Areas?: string[];
  specialties?: string[];
  legalName?: string;
  text?: string[];
  updatedAt?: string;
  org?: Organisation;
};

function toIndexed(org: Organisation): IndexedDoc {
  const items = [...(org.needs ?? []), ...(org.offers ?? [])];
  return {
    id: org.id,
    deleted: false,
    kind: org.kind,
    subtype: org.subtype,
    province: org.location.province,
    s3Areas: org.s3Areas ?? [],
    specialties: org.specialties ?? [],
    legalName: org.legalName,
    text: [...(org.description ?? []).map((d) => d.text), ...items.flatMap((i) => [i.title, ...(i.keywords ?? [])])],
    updatedAt: org.updatedAt,
    org,
  };
}

const SORTS: Record<ListSort, object[]> = {
  id: [{ id: 'asc' }],
  name: [{ 'legalName.sort': 'asc' }, { id: 'asc' }],
  updated: [{ updatedAt: 'desc' }, { id: 'asc' }],
  relevance: [{ _score: 'desc' }, { id: 'asc' }],
};

function esFailure(what: string, e: unknown): AppError {
  return AppError.unavailable(`search (${what})`, e);
}

/**
 * The search read model on Elasticsearch. Writes carry the organisation's version as an
 * external version: an older or repeated event can never overwrite a newer state, so applying
 * events is idempotent and order-insensitive. A deletion is a tombstone (a delete would let a
 * late, older upsert bring the organisation back once ES forgot the deleted version).
 */
export function createOrganisationSearchIndex(es: Client, index: string) {
  return {
    index,
    async ensureIndex(): Promise<void> {
      try {
        if (await es.indices.exists({ index })) {
          // An index created by an earlier version refreshed per bulk, without an interval.
          await es.indices.putSettings({ index, settings: { refresh_interval: REFRESH_INTERVAL } });
          return;
        }
        await es.indices.create({ index, settings: SETTINGS as never, mappings: MAPPING as never });
      } catch (e) {
        if (e instanceof errors.ResponseError && e.body?.error?.type === 'resource_already_exists_exception') return;
        throw esFailure('create index', e);
      }
    },

    /**
     * Writes the given states (from the database, at their current version); returns how many
     * were newer than the index. Searchable at the next periodic refresh (REFRESH_INTERVAL).
     */
    async apply(states: StoredOrganisation[]): Promise<number> {
      if (!states.length) return 0;
      const operations = states.flatMap((s) => {
        const o = s.organisation;
        const doc: IndexedDoc = s.deletedAt ? { id: o.id, deleted: true } : toIndexed(o);
        return [{ index: { _index: index, _id: o.id, version: o.version, version_type: 'external' as const } }, doc];
      });
      let res;
      try {
        res = await es.bulk({ operations });
      } catch (e) {
        throw esFailure('bulk', e);
      }
      let applied = 0;
      for (const item of res.items) {
        const r = item.index!;
        if (!r.error) applied++;
        else if (r.status !== 409) throw esFailure(`bulk item ${r._id}: ${r.error.type} ${r.error.reason ?? ''}`, r.error);
      }
      return applied;
    },

    async list(filter: ListFilter, sort: ListSort, limit: number, after?: unknown[]): Promise<SearchPage> {
      const must: object[] = [];
      const filters: object[] = [{ term: { deleted: false } }];
      if (filter.kind) filters.push({ term: { kind: filter.kind } });
      if (filter.s3Area) filters.push({ term: { s3Areas: filter.s3Area } });
      if (filter.specialty) filters.push({ term: { specialties: filter.specialty } });
      if (filter.province) filters.push({ term: { province: filter.province } });
      // bool_prefix: every word must match, the last also as a prefix ("bio" finds "biotech").
      if (filter.q) must.push({ multi_match: { query: filter.q, type: 'bool_prefix', fields: ['legalName^3', 'text'], operator: 'and' } });
      let res;
      try {
        res = await es.search<IndexedDoc>({
          index,
          size: limit + 1,
          query: { bool: { filter: filters, must } },
          sort: SORTS[sort] as never,
          ...(after ? { search_after: after as never } : {}),
          _source: ['org'],
          track_total_hits: false,
        });
      } catch (e) {
        if (e instanceof errors.ResponseError && e.statusCode === 400)
          throw AppError.validation('invalid query', [{ field: 'query.cursor', message: 'cursor does not fit this query' }]);
        throw esFailure('search', e);
      }
      const hits = res.hits.hits;
      const page = hits.slice(0, limit);
      const last = page[page.length - 1];
      return { items: page.map((h) => h._source!.org!), ...(hits.length > limit && last?.sort ? { after: last.sort } : {}) };
    },

    async refresh(): Promise<void> {
      await es.indices.refresh({ index });
    },

    async drop(): Promise<void> {
      await es.indices.delete({ index, ignore_unavailable: true });
    },
  } satisfies OrganisationSearch & Record<string, unknown>;
}
export type OrganisationSearchIndex = ReturnType<typeof createOrganisationSearchIndex>;

export function createElasticsearchClient(url: string): Client {
  return new Client({ node: url, requestTimeout: 30_000, maxRetries: 2 });
}

/** Readiness: cluster health (the local distribution has no `GET /`). */
export async function pingElasticsearch(client: Client): Promise<void> {
  const health = await client.cluster.health({ timeout: '1s' });
  if (health.status === 'red') throw new Error('cluster status red');
}
