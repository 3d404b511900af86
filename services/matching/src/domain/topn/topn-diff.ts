import type { ExplanationSummary, OrganisationKind } from '@lm/contracts';

/** One ranked suggestion as last published to partners. */
export interface TopNItem {
  candidateId: string;
  candidateKind: OrganisationKind;
  candidateName: string;
  rank: number;
  score: number;
  explanation: ExplanationSummary;
}

export type WithdrawReason = 'left_top_n' | 'candidate_deleted' | 'company_deleted' | 'declined';

export type TopNChange =
  | { type: 'suggested'; item: TopNItem }
  | { type: 'updated'; item: TopNItem; previous: { rank: number; score: number } }
  | { type: 'withdrawn'; item: TopNItem; reason: WithdrawReason };

export interface DiffContext {
  /** Relative score change that counts as "updated" when the rank stays (0.1 = 10%). */
  scoreThreshold: number;
  deletedCandidates?: ReadonlySet<string>;
  declined?: ReadonlySet<string>;
  companyDeleted?: boolean;
}

function withdrawReason(candidateId: string, ctx: DiffContext): WithdrawReason {
  if (ctx.companyDeleted) return 'company_deleted';
  if (ctx.deletedCandidates?.has(candidateId)) return 'candidate_deleted';
  if (ctx.declined?.has(candidateId)) return 'declined';
  return 'left_top_n';
}

function changedEnough(prev: TopNItem, next: TopNItem, threshold: number): boolean {
  if (prev.rank !== next.rank) return true;
  const base = Math.max(Math.abs(prev.score), 1e-9);
  return Math.abs(next.score - prev.score) / base > threshold;
}

/**
 * Old (as published) vs new top-N → the events to publish and the state to store. The stored
 * state is exactly what partners have seen: an item whose change stays under the threshold
 * keeps its published rank and score, so small drifts cannot accumulate unannounced, and
 * diffing the same input twice yields no events the second time (idempotent re-delivery).
 */
export function diffTopN(previous: readonly TopNItem[], next: readonly TopNItem[], ctx: DiffContext): { changes: TopNChange[]; stored: TopNItem[] } {
  const before = new Map(previous.map((i) => [i.candidateId, i]));
  const after = new Set(next.map((i) => i.candidateId));
  const changes: TopNChange[] = [];
  const stored: TopNItem[] = [];
  for (const item of previous) {
    if (!after.has(item.candidateId)) changes.push({ type: 'withdrawn', item, reason: withdrawReason(item.candidateId, ctx) });
  }
  for (const item of next) {
    const prev = before.get(item.candidateId);
    if (!prev) {
      changes.push({ type: 'suggested', item });
      stored.push(item);
    } else if (changedEnough(prev, item, ctx.scoreThreshold)) {
      changes.push({ type: 'updated', item, previous: { rank: prev.rank, score: prev.score } });
      stored.push(item);
    } else {
      stored.push(prev);
    }
  }
  return { changes, stored };
}
