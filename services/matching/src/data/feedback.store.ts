import type { Client } from '@elastic/elasticsearch';
import { AppError } from '@lm/errors';
import type { FeedbackDecision, FeedbackDoc, FeedbackStorePort } from '../domain/matching.ports';
import { ensureSideIndex, esError } from './organisation.index';

const EMPTY = (companyId: string): FeedbackDoc => ({ companyId, accepted: [], declined: [], history: [] });

/** Match feedback in `<alias>-feedback` (this service has no other database). */
export class FeedbackStore implements FeedbackStorePort {
  readonly index: string;

  constructor(
    private readonly es: Client,
    alias: string,
  ) {
    this.index = `${alias}-feedback`;
  }

  ensure(): Promise<void> {
    return ensureSideIndex(this.es, this.index, {
      companyId: { type: 'keyword' },
      accepted: { type: 'keyword' },
      declined: { type: 'keyword' },
      history: { type: 'object', enabled: false },
    });
  }

  async getMany(companyIds: string[]): Promise<Map<string, FeedbackDoc>> {
    const out = new Map<string, FeedbackDoc>();
    if (!companyIds.length) return out;
    try {
      const res = await this.es.mget<FeedbackDoc>({ index: this.index, ids: companyIds });
      for (const d of res.docs)
        out.set(d._id, 'found' in d && d.found && d._source ? { ...d._source, version: d._version ?? 0 } : { ...EMPTY(d._id), version: 0 });
    } catch (e) {
      throw esError('feedback mget', e);
    }
    return out;
  }

  /** Read-modify-write with optimistic concurrency (no scripts on the local distribution). */
  async record(companyId: string, decision: FeedbackDecision): Promise<FeedbackDoc> {
    for (let attempt = 0; attempt < 5; attempt++) {
      let current = EMPTY(companyId);
      let seq: { if_seq_no: number; if_primary_term: number } | undefined;
      try {
        const got = await this.es.get<FeedbackDoc>({ index: this.index, id: companyId });
        if (got._source) current = got._source;
        // (`current` as read carries no `version`; `next` is built field by field below.)
        seq = { if_seq_no: got._seq_no!, if_primary_term: got._primary_term! };
      } catch (e) {
        if ((e as { meta?: { statusCode?: number } }).meta?.statusCode !== 404) throw esError('feedback get', e);
      }
      const others = (xs: string[]) => xs.filter((x) => x !== decision.candidateId);
      const next: FeedbackDoc = {
        companyId,
        accepted: decision.decision === 'accepted' ? [...others(current.accepted), decision.candidateId] : others(current.accepted),
        declined: decision.decision === 'declined' ? [...others(current.declined), decision.candidateId] : others(current.declined),
        history: [...current.history, decision].slice(-500),
      };
      try {
        await this.es.index({ index: this.index, id: companyId, document: next, refresh: true, ...(seq ?? { op_type: 'create' }) });
        return next;
      } catch (e) {
        if ((e as { meta?: { statusCode?: number } }).meta?.statusCode !== 409) throw esError('feedback write', e);
      }
    }
    throw new AppError('conflict', 'feedback changed concurrently, try again', { retriable: true });
  }
}
