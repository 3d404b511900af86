import type { Instance } from './instance';

/**
 * maximise c'x subject to A x ≤ b, 0 ≤ x ≤ u; A stored by columns (CSC).
 * Plain arrays, so the scheduler stays free of any solver: a {@link LpSolver} adapter solves it.
 */
export interface LinearProgram {
  numCols: number;
  numRows: number;
  colCost: Float64Array;
  colUpper: Float64Array;
  rowUpper: Float64Array;
  colStarts: Int32Array;
  rowIndex: Int32Array;
  values: Float64Array;
}

/** What an LP solver returns: row duals (≥ 0 for a maximisation over ≤ rows), optimal or stopped by its time limit. */
export interface LpSolution {
  status: 'optimal' | 'time_limit' | 'failed';
  rowDual: Float64Array;
}

/** Solves a {@link LinearProgram} within `timeLimitMs` (synchronously: the scheduler runs in a worker thread). */
export type LpSolver = (lp: LinearProgram, timeLimitMs: number) => LpSolution;

/**
 * The LP relaxation of the assignment model, aggregated per session: x[e,s] ∈ [0,1] holds pair e
 * in session s (only where both can attend a common slot of s), f[p] ∈ [0,k] is p's fairness
 * count (k = minMeetings).
 *
 *   max Σ w_e x[e,s] + B Σ f_p
 *   each pair meets at most once        Σ_s x[e,s] ≤ 1
 *   p's meetings in session s           Σ_{e∋p} x[e,s] ≤ min(capSession_p, slots of s p attends)
 *   tables of a session                 Σ_e x[e,s] ≤ Σ_{g∈s} tables_g
 *   p's meetings in all                 Σ_{e∋p,s} x[e,s] ≤ capTotal_p
 *   fairness counts only held meetings  f_p − Σ_{e∋p,s} x[e,s] ≤ 0
 *
 * Every schedule the optimiser returns (pins included) gives a feasible point (x[e,s] = 1 for
 * the session of each meeting), so the LP optimum bounds all of them from above. Per session
 * rather than per slot: the time-indexed model is ~8× larger and, at 1,000 participants, takes
 * tens of seconds where this one takes a fraction of one, for a bound within 0.1 % of it on the
 * bench instance (see the README).
 */
export function relaxationOf(inst: Instance): LinearProgram {
  const { P, G, S, E, ea, eb, ew, avail, slotSession, slotTables, capSession, capTotal, minMeetings, weights } = inst;
  const rowPS = E;
  const rowS = rowPS + P * S;
  const rowP = rowS + S;
  const rowF = rowP + P;
  const numRows = rowF + P;
  const rowUpper = new Float64Array(numRows);
  rowUpper.fill(1, 0, E);
  const slotsOf = new Int32Array(P * S);
  for (let p = 0; p < P; p++) for (let g = 0; g < G; g++) if (avail[p * G + g]) slotsOf[p * S + slotSession[g]!]!++;
  for (let p = 0; p < P; p++) {
    for (let s = 0; s < S; s++) rowUpper[rowPS + p * S + s] = Math.min(capSession[p]!, slotsOf[p * S + s]!);
    rowUpper[rowP + p] = capTotal[p]!;
  }
  for (let g = 0; g < G; g++) rowUpper[rowS + slotSession[g]!]! += slotTables[g]!;

  const cost: number[] = [];
  const upper: number[] = [];
  const starts: number[] = [0];
  const rows: number[] = [];
  const values: number[] = [];
  const hasMeetings = new Uint8Array(P);
  const shared = new Uint8Array(Math.max(1, S));
  for (let e = 0; e < E; e++) {
    const a = ea[e]!;
    const b = eb[e]!;
    shared.fill(0);
    for (let g = 0; g < G; g++) if (avail[a * G + g] && avail[b * G + g]) shared[slotSession[g]!] = 1;
    for (let s = 0; s < S; s++) {
      if (!shared[s]) continue;
      // Rows in ascending order, each once (a ≠ b).
      const col: [number, number][] = [
        [e, 1],
        [rowPS + a * S + s, 1],
        [rowPS + b * S + s, 1],
        [rowS + s, 1],
        [rowP + a, 1],
        [rowP + b, 1],
      ];
      if (minMeetings > 0) col.push([rowF + a, -1], [rowF + b, -1]);
      col.sort((x, y) => x[0] - y[0]);
      for (const [r, v] of col) {
        rows.push(r);
        values.push(v);
      }
      starts.push(rows.length);
      cost.push(ew[e]!);
      upper.push(1);
      hasMeetings[a] = hasMeetings[b] = 1;
    }
  }
  if (minMeetings > 0) {
    for (let p = 0; p < P; p++) {
      if (!hasMeetings[p]) continue;
      rows.push(rowF + p);
      values.push(1);
      starts.push(rows.length);
      cost.push(weights.fairnessBonus);
      upper.push(minMeetings);
    }
  }
  return {
    numCols: cost.length,
    numRows,
    colCost: Float64Array.from(cost),
    colUpper: Float64Array.from(upper),
    rowUpper,
    colStarts: Int32Array.from(starts),
    rowIndex: Int32Array.from(rows),
    values: Float64Array.from(values),
  };
}

/**
 * A bound that holds whatever the solver's accuracy or status: by weak duality, any y ≥ 0 gives
 *   max { c'x : Ax ≤ b, 0 ≤ x ≤ u }  ≤  b'y + Σ_j u_j · max(0, c_j − (A'y)_j).
 * With the solver's optimal duals this is the LP optimum (to rounding, on the safe side); with
 * the duals of a run stopped by its time limit it is still a valid, if weaker, bound.
 */
function boundFromDuals(lp: LinearProgram, rowDual: ArrayLike<number>, sign: 1 | -1): number {
  let bound = 0;
  const y = new Float64Array(lp.numRows);
  for (let r = 0; r < lp.numRows; r++) {
    y[r] = Math.max(0, sign * (rowDual[r] ?? 0));
    bound += lp.rowUpper[r]! * y[r]!;
  }
  for (let c = 0; c < lp.numCols; c++) {
    let reduced = lp.colCost[c]!;
    for (let k = lp.colStarts[c]!; k < lp.colStarts[c + 1]!; k++) reduced -= lp.values[k]! * y[lp.rowIndex[k]!]!;
    if (reduced > 0) bound += lp.colUpper[c]! * reduced;
  }
  return bound;
}

/**
 * HiGHS reports the row duals of a maximisation with one sign from its simplex path and the
 * opposite from its interior-point path; both readings are valid bounds by weak duality, so the
 * smaller one is taken (the wrong reading gives a far weaker one).
 */
export function dualBound(lp: LinearProgram, rowDual: ArrayLike<number>): number {
  return Math.min(boundFromDuals(lp, rowDual, 1), boundFromDuals(lp, rowDual, -1));
}
