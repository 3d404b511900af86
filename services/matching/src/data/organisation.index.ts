import type { Client, estypes } from '@elastic/elasticsearch';
import { AppError } from '@lm/errors';
import { isTransient } from '@lm/kafka';
import type { OrganisationIndexPort, WriteOutcome } from '../domain/matching.ports';
import type { IndexWrite, OrganisationDoc } from '../domain/organisation-doc';
import { INDEX_SETTINGS, ORGANISATION_MAPPING } from './organisation.mapping';

function isStatus(e: unknown, status: number): boolean {
  return (e as { meta?: { statusCode?: number } })?.meta?.statusCode === status;
}

/**
 * Engine failures are retriable (the consumer retries them until the engine is back): no answer
 * at all (connection refused or reset, no living connections, timeouts: status undefined or 0),
 * 408, 429, 5xx, rejected for capacity. Anything else is a bug or bad data.
 */
export function esError(what: string, e: unknown): AppError {
  const status = (e as { meta?: { statusCode?: number } })?.meta?.statusCode;
  if (status === undefined || isTransient(e)) return AppError.unavailable(`elasticsearch (${what})`, e);
  return new AppError('internal', `elasticsearch ${what} failed with ${status}`, { cause: e });
}

/**
 * The organisations index behind an alias. The concrete index is `<alias>-<timestamp>`; a
 * reindex builds a new one and swaps the alias atomically. While a reindex runs, live writes go
 * to the new index too (`extraTargets`) so nothing written meanwhile is lost at the swap.
 */
/**
 * Creates a single-shard side index (top-N, feedback) unless it exists. Two instances may
 * start at once: losing the creation race is fine as long as the index is there afterwards.
 */
export async function ensureSideIndex(es: Client, index: string, properties: Record<string, estypes.MappingProperty>): Promise<void> {
  if (await es.indices.exists({ index })) return;
  try {
    await es.indices.create({ index, settings: { number_of_shards: 1, number_of_replicas: 0 }, mappings: { dynamic: false, properties } });
  } catch (e) {
    if (!(await es.indices.exists({ index }))) throw e;
  }
}

export class OrganisationIndex implements OrganisationIndexPort {
  private readonly extraTargets = new Set<string>();

  constructor(
    private readonly es: Client,
    readonly alias: string,
  ) {}

  newIndexName(): string {
    return `${this.alias}-${Date.now()}`;
  }

  /**
   * `bulkLoad`: no periodic refresh while a reindex fills it (nobody searches it before the
   * swap; refreshing a growing index is what makes bulk loads slow); `endBulkLoad` restores it.
   */
  async createConcreteIndex(name: string, withAlias = false, opts: { bulkLoad?: boolean } = {}): Promise<void> {
    await this.es.indices.create({
      index: name,
      settings: { ...INDEX_SETTINGS, ...(opts.bulkLoad ? { refresh_interval: '-1' } : {}) },
      mappings: ORGANISATION_MAPPING as unknown as estypes.MappingTypeMapping,
      ...(withAlias ? { aliases: { [this.alias]: {} } } : {}),
    });
  }

  /** On first start: a concrete index with the mapping, behind the alias. Idempotent. */
  async ensure(): Promise<void> {
    if (await this.es.indices.existsAlias({ name: this.alias })) return;
    try {
      await this.createConcreteIndex(this.newIndexName(), true);
    } catch (e) {
      // Another instance won the race: fine as long as the alias now exists.
      if (!(await this.es.indices.existsAlias({ name: this.alias }))) throw e;
    }
  }

  async concreteIndices(): Promise<string[]> {
    try {
      const res = await this.es.indices.getAlias({ name: this.alias });
      return Object.keys(res);
    } catch (e) {
      if (isStatus(e, 404)) return [];
      throw e;
    }
  }

  /** Atomic: readers see either the old or the new index, never none. */
  async swapAlias(newIndex: string): Promise<string[]> {
    const old = (await this.concreteIndices()).filter((i) => i !== newIndex);
    await this.es.indices.updateAliases({
      actions: [...old.map((index) => ({ remove: { index, alias: this.alias } })), { add: { index: newIndex, alias: this.alias } }],
    });
    return old;
  }

  async endBulkLoad(name: string): Promise<void> {
    // null = back to the default (1 s, skipped while the index is search-idle), like every live index.
    await this.es.indices.putSettings({ index: name, settings: { refresh_interval: null as unknown as string } });
    await this.refresh(name);
  }

  async deleteIndices(names: string[]): Promise<void> {
    if (names.length) await this.es.indices.delete({ index: names, ignore_unavailable: true });
  }

  mirrorWritesTo(index: string): void {
    this.extraTargets.add(index);
  }

  stopMirroring(index: string): void {
    this.extraTargets.delete(index);
  }

  /**
   * `_bulk` with external versions: an older or duplicate write comes back 409 per item, which
   * means "already newer" — not an error. Returns the outcome per write (for the alias target).
   */
  async bulkWrite(writes: IndexWrite[], target: string = this.alias, opts: { mirror?: boolean } = {}): Promise<WriteOutcome[]> {
    if (!writes.length) return [];
    const targets = [target, ...(opts.mirror === false ? [] : [...this.extraTargets].filter((t) => t !== target))];
    let outcomes: WriteOutcome[] = [];
    for (const [n, index] of targets.entries()) {
      const operations = writes.flatMap((w) => [{ index: { _index: index, _id: w.id, version: w.esVersion, version_type: 'external' as const } }, w.doc]);
      let res: estypes.BulkResponse;
      try {
        res = await this.es.bulk({ operations });
      } catch (e) {
        throw esError('bulk', e);
      }
      const results = res.items.map((item) => {
        const r = item.index!;
        if (r.status === 409) return 'stale' as const;
        if (r.error) {
          // es_rejected_execution_exception comes back as a 429 item: retriable like a 429 answer.
          const err = { meta: { statusCode: r.status }, message: r.error.type };
          throw esError(`bulk item ${r._id}: ${r.error.type} ${r.error.reason ?? ''}`, err);
        }
        return 'applied' as const;
      });
      if (n === 0) outcomes = results;
    }
    return outcomes;
  }

  async refresh(index: string = this.alias): Promise<void> {
    await this.es.indices.refresh({ index });
  }

  /** Live documents by id, in order (undefined for unknown or deleted). */
  async getMany(ids: string[]): Promise<(OrganisationDoc | undefined)[]> {
    if (!ids.length) return [];
    try {
      const res = await this.es.mget<OrganisationDoc>({ index: this.alias, ids });
      return res.docs.map((d) => ('found' in d && d.found && d._source && !d._source.deleted ? d._source : undefined));
    } catch (e) {
      throw esError('mget', e);
    }
  }

  /** How many live (not deleted) organisations of `kind` the index holds. */
  async countLive(kind: string): Promise<number> {
    try {
      const res = await this.es.count({ index: this.alias, query: { bool: { filter: [{ term: { kind } }], must_not: [{ term: { deleted: true } }] } } });
      return res.count;
    } catch (e) {
      throw esError('count', e);
    }
  }

  /** Ids of every live organisation of `kind` (search_after pages of 5,000, no scoring). */
  async liveIds(kind: string): Promise<string[]> {
    const out: string[] = [];
    let after: estypes.SortResults | undefined;
    for (;;) {
      const res = await this.search<never>({
        size: 5_000,
        _source: false,
        track_total_hits: false,
        sort: [{ id: 'asc' }],
        query: { bool: { filter: [{ term: { kind } }], must_not: [{ term: { deleted: true } }] } },
        ...(after ? { search_after: after } : {}),
      });
      const hits = res.hits.hits;
      for (const h of hits) out.push(h._id!);
      if (hits.length < 5_000) return out;
      after = hits[hits.length - 1]!.sort;
    }
  }

  /** ES versions by id (0 when absent), tombstones included; real-time like every get. */
  async versions(ids: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (!ids.length) return out;
    try {
      const res = await this.es.mget({ index: this.alias, ids, _source: false });
      for (const d of res.docs) out.set(d._id, 'found' in d && d.found ? (d._version ?? 0) : 0);
    } catch (e) {
      throw esError('mget versions', e);
    }
    return out;
  }

  async search<T = OrganisationDoc>(body: Record<string, unknown>, index: string = this.alias): Promise<estypes.SearchResponse<T>> {
    try {
      return await this.es.search<T>({ index, ...body });
    } catch (e) {
      throw esError('search', e);
    }
  }

  async msearch<T = OrganisationDoc>(bodies: Record<string, unknown>[], index: string = this.alias): Promise<estypes.SearchResponse<T>[]> {
    if (!bodies.length) return [];
    try {
      // include_named_queries_score is a URL parameter of _msearch, not part of each body.
      const named = bodies.some((b) => b.include_named_queries_score);
      const searches = bodies.flatMap(({ include_named_queries_score: _n, ...b }) => [{ index }, b]);
      const res = await this.es.msearch<T>({ searches, ...(named ? { include_named_queries_score: true } : {}) } as Parameters<Client['msearch']>[0]);
      return res.responses.map((r) => {
        if ('error' in r) throw esError('msearch item', { meta: { statusCode: r.status } });
        return r as estypes.SearchResponse<T>;
      });
    } catch (e) {
      throw e instanceof AppError ? e : esError('msearch', e);
    }
  }
}
