import type { Client } from '@elastic/elasticsearch';
import { AppError } from '@lm/errors';
import type { FeedbackDoc, ServingState, StoredTopN, TopNDoc, TopNPosition, TopNStorePort } from '../domain/matching.ports';
import type { OrganisationDoc } from '../domain/organisation-doc';
import { ensureSideIndex, esError } from './organisation.index';

/**
 * What serving a company's matches reads, in one `_mget`: the organisation without what ranking
 * never reads of the company itself (its snapshot, the eval's text), the feedback without its
 * history, and of the stored top-N the ranking and the ids.
 */
export const SERVING_SOURCES = {
  company: { excludes: ['snapshot', 'allText'] },
  feedback: { excludes: ['history'] },
  topN: { includes: ['ranking', 'candidateIds', 'weightsVersion'] },
};

/** Each company's current top-N as last published (`<alias>-topn`, one document per company). */
export class TopNStore implements TopNStorePort {
  readonly index: string;

  constructor(
    private readonly es: Client,
    /** The organisations alias; the feedback lives in `<alias>-feedback` (FeedbackStore). */
    private readonly alias: string,
  ) {
    this.index = `${alias}-topn`;
  }

  ensure(): Promise<void> {
    return ensureSideIndex(this.es, this.index, {
      companyId: { type: 'keyword' },
      weightsVersion: { type: 'keyword' },
      candidateIds: { type: 'keyword' },
      items: { type: 'object', enabled: false },
      ranking: { type: 'object', enabled: false },
      updatedAt: { type: 'date' },
    });
  }

  async getMany(companyIds: string[]): Promise<Map<string, StoredTopN>> {
    const out = new Map<string, StoredTopN>();
    if (!companyIds.length) return out;
    try {
      const res = await this.es.mget<TopNDoc>({ index: this.index, ids: companyIds });
      for (const d of res.docs) {
        if ('found' in d && d.found && d._source) out.set(d._id, { doc: d._source, seq: { if_seq_no: d._seq_no!, if_primary_term: d._primary_term! } });
        else out.set(d._id, {});
      }
    } catch (e) {
      throw esError('topn mget', e);
    }
    return out;
  }

  /** For each candidate, the companies whose stored top-N lists it (bounded), in one `_msearch`. */
  async companiesListingAny(candidateIds: string[], size: number): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (!candidateIds.length) return out;
    try {
      const searches = candidateIds.flatMap((id) => [{ index: this.index }, { size, _source: false, query: { term: { candidateIds: id } } }]);
      const res = await this.es.msearch({ searches });
      res.responses.forEach((r, i) => {
        if ('error' in r) throw esError('topn msearch item', { meta: { statusCode: r.status } });
        out.set(
          candidateIds[i]!,
          r.hits.hits.map((h) => h._id!),
        );
      });
    } catch (e) {
      throw e instanceof AppError ? e : esError('topn msearch', e);
    }
    return out;
  }

  /**
   * Stores many companies' top-N in one `_bulk` and one refresh (a burst recomputes thousands;
   * a refresh each was most of its cost), each only if nobody else wrote since it was read.
   * Returns the companies another writer changed meanwhile (409 per item: the caller recomputes them).
   */
  async putMany(writes: { doc: TopNDoc; seq: StoredTopN['seq'] }[]): Promise<string[]> {
    if (!writes.length) return [];
    let res: Awaited<ReturnType<Client['bulk']>>;
    try {
      const operations = writes.flatMap(({ doc, seq }) => [
        seq ? { index: { _index: this.index, _id: doc.companyId, ...seq } } : { create: { _index: this.index, _id: doc.companyId } },
        doc,
      ]);
      res = await this.es.bulk({ operations, refresh: true });
    } catch (e) {
      throw esError('topn bulk', e);
    }
    const conflicts: string[] = [];
    for (const item of res.items) {
      const r = (item.index ?? item.create)!;
      if (r.status === 409) conflicts.push(r._id!);
      else if (r.error) throw esError(`topn bulk item ${r._id}: ${r.error.type}`, { meta: { statusCode: r.status } });
    }
    return conflicts;
  }

  /**
   * Stored documents in (updatedAt, companyId) order, strictly after `after` (a previous page's
   * last position): a reader walking the pages sees every company once, and a company updated
   * meanwhile again further on — a change feed, not a snapshot.
   */
  async page(opts: { size: number; after?: TopNPosition; updatedSince?: string }): Promise<{ docs: TopNDoc[]; last?: TopNPosition }> {
    try {
      const res = await this.es.search<TopNDoc>({
        index: this.index,
        size: opts.size,
        track_total_hits: false,
        // The published state only: the full ranking beside it would double what a page reads.
        _source: { excludes: ['ranking'] },
        query: opts.updatedSince ? { range: { updatedAt: { gte: opts.updatedSince } } } : { match_all: {} },
        sort: [{ updatedAt: 'asc' }, { companyId: 'asc' }],
        ...(opts.after ? { search_after: [...opts.after] } : {}),
      });
      const hits = res.hits.hits.filter((h) => h._source);
      const lastSort = hits[hits.length - 1]?.sort;
      return { docs: hits.map((h) => h._source!), last: lastSort ? [Number(lastSort[0]), String(lastSort[1])] : undefined };
    } catch (e) {
      throw esError('topn page', e);
    }
  }

  /**
   * Everything a company's matches need — its profile (alias `organisations`), its feedback, its
   * stored ranking and top-N — in ONE real-time `_mget` over the three indices: the whole
   * Elasticsearch cost of a request served from the stored ranking. `withTopN: false` reads the
   * first two only: the stored document (published top-N + ranking, ~35 KB of `_source` that
   * Elasticsearch decompresses and filters, ~17 KB for us to parse) is most of the `_mget`'s
   * cost, wasted on a request that goes live anyway.
   */
  async servingState(companyId: string, opts: { withTopN?: boolean } = {}): Promise<ServingState> {
    const sources = { organisations: this.alias, feedback: `${this.alias}-feedback` };
    try {
      const res = await this.es.mget({
        docs: [
          { _index: sources.organisations, _id: companyId, _source: SERVING_SOURCES.company },
          { _index: sources.feedback, _id: companyId, _source: SERVING_SOURCES.feedback },
          ...(opts.withTopN === false ? [] : [{ _index: this.index, _id: companyId, _source: SERVING_SOURCES.topN }]),
        ],
      });
      const [org, feedback, topn] = res.docs.map((d) => ('found' in d && d.found ? d : undefined));
      const company = org?._source as OrganisationDoc | undefined;
      const stored = topn?._source as Pick<TopNDoc, 'candidateIds' | 'weightsVersion' | 'ranking'> | undefined;
      return {
        company: company && !company.deleted ? company : undefined,
        feedback: {
          companyId,
          accepted: [],
          declined: [],
          ...(feedback?._source as Partial<FeedbackDoc> | undefined),
          history: [],
          version: feedback?._version ?? 0,
        },
        topN: stored && { candidateIds: stored.candidateIds, weightsVersion: stored.weightsVersion },
        ranking: stored?.ranking,
      };
    } catch (e) {
      throw esError('serving mget', e);
    }
  }

  async get(companyId: string): Promise<TopNDoc | undefined> {
    return (await this.getMany([companyId])).get(companyId)?.doc;
  }
}
