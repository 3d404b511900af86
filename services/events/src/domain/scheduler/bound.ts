import { dualBound, relaxationOf, type LpSolution, type LpSolver } from './lp.bound';
import { Instance, sharesSlot } from './instance';

function topSum(values: number[], k: number): number {
  if (k <= 0) return 0;
  const sorted = [...values].sort((x, y) => y - x);
  let s = 0;
  for (let i = 0; i < Math.min(k, sorted.length); i++) s += sorted[i]!;
  return s;
}

/**
 * An upper bound on the objective of ANY feasible schedule (pins included):
 * objective = Σ_meetings w + B·Σ_p min(meetings_p, k)
 *           = Σ_p [ Σ_{meetings of p} w/2 + B·min(meetings_p, k) ].
 * p can have at most D_p meetings (caps, slots p can attend per session, pairs p has), so each
 * bracket is at most (D_p largest halves) + B·min(D_p, k)  →  bound 1.
 * The tables allow at most T meetings in all, so Σ w ≤ the T largest weights and the fairness
 * term ≤ B·min(Σ_p min(D_p,k), 2T)  →  bound 2. We report the smaller one.
 */
export function upperBound(inst: Instance): number {
  const { P, G, S, E, ea, eb, ew, avail, slotSession, capTotal, capSession, slotTables, weights, minMeetings } = inst;
  const usable: boolean[] = [];
  const halves: number[][] = Array.from({ length: P }, () => []);
  const weightsOfUsable: number[] = [];
  for (let e = 0; e < E; e++) {
    usable[e] = sharesSlot(inst, ea[e]!, eb[e]!);
    if (!usable[e]) continue;
    halves[ea[e]!]!.push(ew[e]! / 2);
    halves[eb[e]!]!.push(ew[e]! / 2);
    weightsOfUsable.push(ew[e]!);
  }
  let perParticipant = 0;
  let fairnessCap = 0;
  for (let p = 0; p < P; p++) {
    const perSession = new Array<number>(Math.max(1, S)).fill(0);
    for (let g = 0; g < G; g++) if (avail[p * G + g]) perSession[slotSession[g]!]!++;
    const bySlots = perSession.reduce((acc, n) => acc + Math.min(n, capSession[p]!), 0);
    const D = Math.min(capTotal[p]!, bySlots, halves[p]!.length);
    perParticipant += topSum(halves[p]!, D) + weights.fairnessBonus * Math.min(D, minMeetings);
    fairnessCap += Math.min(D, minMeetings);
  }
  let T = 0;
  for (let g = 0; g < G; g++) T += slotTables[g]!;
  const byTables = topSum(weightsOfUsable, T) + weights.fairnessBonus * Math.min(fairnessCap, 2 * T);
  return Math.min(perParticipant, byTables);
}

/** Which bound a run reports, and what each candidate gave. */
export interface BoundReport {
  value: number;
  /** `lp`: the LP relaxation (solved within its budget) was the smaller bound; otherwise the combinatorial one. */
  method: 'lp' | 'combinatorial';
  combinatorial: number;
  /** Absent when no LP solver was given or the budget is 0. */
  lp?: { value?: number; status: LpSolution['status'] | 'error'; ms: number; columns: number; rows: number };
}

/**
 * The tighter of the combinatorial bound and the LP relaxation's dual bound. The LP gets
 * `budgetMs` of wall-clock time; stopped early, its duals still give a valid (weaker) bound, and a
 * solver failure leaves the combinatorial one. Both are bounds on every feasible schedule.
 */
export function bestUpperBound(inst: Instance, solver: LpSolver | undefined, budgetMs: number, clock: () => number): BoundReport {
  const combinatorial = upperBound(inst);
  if (!solver || budgetMs <= 0) return { value: combinatorial, method: 'combinatorial', combinatorial };
  const started = clock();
  const lp = relaxationOf(inst);
  const size = { columns: lp.numCols, rows: lp.numRows };
  let lpReport: NonNullable<BoundReport['lp']>;
  try {
    // Nothing can meet: the LP is empty and its optimum 0 (zero duals say so), no solver needed.
    const solution = lp.numCols
      ? solver(lp, Math.max(1, budgetMs - (clock() - started)))
      : { status: 'optimal' as const, rowDual: new Float64Array(lp.numRows) };
    lpReport = { value: dualBound(lp, solution.rowDual), status: solution.status, ms: clock() - started, ...size };
  } catch {
    // A solver that cannot run (its WebAssembly failed to load, out of memory) costs the run nothing but the tighter bound.
    lpReport = { status: 'error', ms: clock() - started, ...size };
  }
  const useLp = lpReport.value !== undefined && lpReport.value < combinatorial;
  return { value: useLp ? lpReport.value! : combinatorial, method: useLp ? 'lp' : 'combinatorial', combinatorial, lp: lpReport };
}
