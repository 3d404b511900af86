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
  /** Relative score change that counts as "updated" (0.1 = 10 %); rank changes alone do not count. */
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

function scoreMovedEnough(prev: TopNItem, next: TopNItem, threshold: number): boolean {
  const base = Math.max(Math.abs(prev.score), 1e-9);
  return Math.abs(next.score - prev.score) / base > threshold;
}

/**
 * Old (as published) vs new top-N → the changes worth telling partners and the state to store.
 * Worth telling: a candidate entered or left, or a score moved by more than the threshold.
 * Rank shuffles and drifts below it change nothing: the published state is kept as it is, so
 * small drifts are measured against what partners saw and cannot accumulate unannounced. When
 * something is worth telling, the whole fresh top-N becomes the published state. Diffing the
 * same input twice yields no changes the second time (idempotent re-delivery).
 */
export function diffTopN(previous: readonly TopNItem[], next: readonly TopNItem[], ctx: DiffContext): { changes: TopNChange[]; stored: TopNItem[] } {
  const before = new Map(previous.map((i) => [i.candidateId, i]));
  const after = new Set(next.map((i) => i.candidateId));
  const changes: TopNChange[] = [];
  for (const item of previous) {
    if (!after.has(item.candidateId)) changes.push({ type: 'withdrawn', item, reason: withdrawReason(item.candidateId, ctx) });
  }
  for (const item of next) {
    const prev = before.get(item.candidateId);
    if (!prev) changes.push({ type: 'suggested', item });
    else if (scoreMovedEnough(prev, item, ctx.scoreThreshold)) changes.push({ type: 'updated', item, previous: { rank: prev.rank, score: prev.score } });
  }
  return changes.length ? { changes, stored: [...next] } : { changes, stored: [...previous] };
}
