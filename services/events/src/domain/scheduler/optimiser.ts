import type { Instance } from './instance';
import { createRandom } from '@lm/random';
import type { ProgressInfo } from './scheduler.types';
import type { ScheduleState } from './state';

const EPS = 1e-9;

export interface OptimiseOptions {
  seed: number;
  deadline: number;
  maxIterations: number;
  /** Perturbation rounds in a row without improvement before we call it converged. */
  stallLimit: number;
  clock: () => number;
  started: number;
  onProgress?: (p: ProgressInfo) => void;
}

export interface OptimiseOutcome {
  iterations: number;
  stoppedBy: 'converged' | 'time_budget' | 'iteration_budget';
}

/**
 * Local search over slot assignments, started from a feasible schedule:
 * 1. insert an unscheduled pair directly (least-loaded feasible slot);
 * 2. else make room by relocating the meetings that block it (augmenting move, never loses value);
 * 3. else an ejection chain: evict the cheapest blockers (busy participants, full tables,
 *    reached caps), place the pair, try to re-home the evicted meetings, keep only if the
 *    objective went up;
 * then iterated local search: ruin a random neighbourhood and repair it, keeping the result
 * when it is not worse. Every accepted step keeps all hard constraints (the state checks them).
 */
export function optimise(inst: Instance, state: ScheduleState, opts: OptimiseOptions): OptimiseOutcome {
  const rng = createRandom(opts.seed);
  const { G, ea, eb, ew, slotTables } = inst;
  let checks = 0;
  const outOfTime = () => (++checks & 31) === 0 && opts.clock() > opts.deadline;

  function bestDirectSlot(e: number, exclude1 = -1, exclude2 = -1): number {
    let best = -1;
    let bestLoad = Infinity;
    for (let g = 0; g < G; g++) {
      if (g === exclude1 || g === exclude2 || !state.canPlace(e, g)) continue;
      // Least-loaded slot keeps tables free everywhere for later pairs.
      const l = state.load[g]! / slotTables[g]!;
      if (l < bestLoad) {
        bestLoad = l;
        best = g;
      }
    }
    return best;
  }

  /** Moves meeting m to another slot (not `forbid`); false (and unchanged) when none fits. */
  function relocate(m: number, forbid: number): boolean {
    if (state.pinned[m]) return false;
    const from = state.edgeSlot[m]!;
    state.remove(m);
    const g = bestDirectSlot(m, from, forbid);
    if (g !== -1) {
      state.place(m, g);
      return true;
    }
    state.place(m, from);
    return false;
  }

  function insertWithRelocation(e: number): boolean {
    const a = ea[e]!;
    const b = eb[e]!;
    for (let g = 0; g < G; g++) {
      if (!state.bothAvailable(e, g) || !state.capsAllow(e, g)) continue;
      const cp = state.checkpoint();
      let ok = true;
      for (const p of [a, b]) {
        const m = state.busy[p * G + g]!;
        if (m !== -1 && !relocate(m, g)) {
          ok = false;
          break;
        }
      }
      if (ok && state.load[g]! >= slotTables[g]!) {
        ok = false;
        const inSlot = state.slotEdges[g]!.slice(0, 12);
        for (const m of inSlot) {
          if (relocate(m, g)) {
            ok = true;
            break;
          }
        }
      }
      if (ok && state.canPlace(e, g)) {
        state.place(e, g);
        return true;
      }
      state.rollback(cp);
    }
    return false;
  }

  function cheapest(candidates: Iterable<number>): number {
    let best = -1;
    let bestLoss = Infinity;
    for (const m of candidates) {
      if (state.pinned[m]) continue;
      const loss = state.lossOfRemove(m);
      if (loss < bestLoss) {
        bestLoss = loss;
        best = m;
      }
    }
    return best;
  }

  function meetingsOf(p: number, sessionOnly = -1): number[] {
    const out: number[] = [];
    for (const e of inst.adj[p]!) {
      const g = state.edgeSlot[e]!;
      if (g !== -1 && (sessionOnly === -1 || inst.slotSession[g] === sessionOnly)) out.push(e);
    }
    return out;
  }

  function reinsert(removed: number[]): void {
    removed.sort((x, y) => ew[y]! - ew[x]!);
    for (const m of removed) {
      const g = bestDirectSlot(m);
      if (g !== -1) state.place(m, g);
      else insertWithRelocation(m);
    }
  }

  function insertWithEjection(e: number): boolean {
    const a = ea[e]!;
    const b = eb[e]!;
    const gain = state.gainOfAdd(e);
    for (let g = 0; g < G; g++) {
      if (!state.bothAvailable(e, g)) continue;
      const before = state.objective;
      const cp = state.checkpoint();
      const removed: number[] = [];
      const evict = (m: number) => {
        if (m === -1) return false;
        state.remove(m);
        removed.push(m);
        return true;
      };
      let ok = true;
      for (const p of [a, b]) {
        const m = state.busy[p * G + g]!;
        if (m !== -1 && (state.pinned[m] || !evict(m))) ok = false;
      }
      const s = inst.slotSession[g]!;
      for (const p of [a, b]) {
        if (!ok) break;
        if (state.cnt[p]! >= inst.capTotal[p]!) ok = evict(cheapest(meetingsOf(p)));
        if (ok && state.cntSess[p * inst.S + s]! >= inst.capSession[p]!) ok = evict(cheapest(meetingsOf(p, s)));
      }
      if (ok && state.load[g]! >= slotTables[g]!) ok = evict(cheapest(state.slotEdges[g]!));
      // Cheap pruning: evicting more than the pair brings can only pay off if re-homing works;
      // skip hopeless slots early without running the repair.
      if (ok && state.canPlace(e, g) && before - state.objective < gain * 4) {
        state.place(e, g);
        reinsert(removed);
        if (state.objective > before + EPS) return true;
      }
      state.rollback(cp);
    }
    return false;
  }

  function tryInsert(e: number, withEjection: boolean): boolean {
    if (state.edgeSlot[e] !== -1 || ew[e]! <= 0) return false;
    const g = bestDirectSlot(e);
    if (g !== -1) {
      state.place(e, g);
      return true;
    }
    if (insertWithRelocation(e)) return true;
    return withEjection && insertWithEjection(e);
  }

  const report = (phase: ProgressInfo['phase'], iterations: number) =>
    opts.onProgress?.({ phase, objective: state.objective, iterations, elapsedMs: opts.clock() - opts.started });

  const order = Array.from({ length: inst.E }, (_, e) => e).sort((x, y) => ew[y]! - ew[x]! || x - y);

  // Phase 1: improvement passes until a full pass changes nothing.
  let timedOut = false;
  for (let pass = 0; pass < 50 && !timedOut; pass++) {
    let improved = false;
    for (const e of order) {
      if (outOfTime()) {
        timedOut = true;
        break;
      }
      if (state.edgeSlot[e] === -1 && tryInsert(e, true)) improved = true;
    }
    state.commit();
    report('improve', 0);
    if (!improved) break;
  }
  if (timedOut) return { iterations: 0, stoppedBy: 'time_budget' };

  // Phase 2: iterated local search (ruin & recreate around random participants and slots).
  let iterations = 0;
  let stall = 0;
  let lastReport = opts.clock();
  const scheduled = () => {
    const list: number[] = [];
    for (let g = 0; g < G; g++) for (const m of state.slotEdges[g]!) if (!state.pinned[m]) list.push(m);
    return list;
  };
  while (iterations < opts.maxIterations) {
    if (opts.clock() > opts.deadline) return { iterations, stoppedBy: 'time_budget' };
    if (stall >= opts.stallLimit) return { iterations, stoppedBy: 'converged' };
    iterations++;
    const before = state.objective;
    const cp = state.checkpoint();
    const movable = scheduled();
    if (!movable.length) return { iterations, stoppedBy: 'converged' };
    // Ruin: a few meetings around one random participant plus some random others.
    const seedMeeting = movable[rng.below(movable.length)]!;
    const hub = rng.next() < 0.5 ? ea[seedMeeting]! : eb[seedMeeting]!;
    const victims = new Set<number>(
      meetingsOf(hub)
        .filter((m) => !state.pinned[m])
        .slice(0, 1 + rng.below(3)),
    );
    const extra = 1 + rng.below(3);
    for (let i = 0; i < extra; i++) victims.add(movable[rng.below(movable.length)]!);
    const touched = new Set<number>();
    for (const m of victims) {
      if (state.edgeSlot[m] === -1) continue;
      touched.add(ea[m]!);
      touched.add(eb[m]!);
      state.remove(m);
    }
    // Recreate: best candidates around the touched participants, heaviest gain first.
    const candidates = new Set<number>();
    for (const p of touched) for (const e of inst.adj[p]!) if (state.edgeSlot[e] === -1 && !victims.has(e)) candidates.add(e);
    const ordered = [...candidates].sort((x, y) => state.gainOfAdd(y) - state.gainOfAdd(x) || x - y);
    for (const e of ordered) tryInsert(e, false);
    for (const m of victims) tryInsert(m, false);
    for (const e of ordered) tryInsert(e, true);
    if (state.objective > before + EPS) {
      stall = 0;
      state.commit();
    } else if (state.objective >= before - EPS) {
      stall++;
      state.commit(); // plateau move: keep it, it diversifies the search
    } else {
      stall++;
      state.rollback(cp);
      state.commit();
    }
    if (opts.onProgress && opts.clock() - lastReport > 1000) {
      lastReport = opts.clock();
      report('perturb', iterations);
    }
  }
  return { iterations, stoppedBy: 'iteration_budget' };
}
