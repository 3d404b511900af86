import { bestUpperBound, type BoundReport } from './bound';
import { greedyFirstFit } from './greedy';
import { buildInstance, Instance } from './instance';
import { optimise } from './optimiser';
import { placePins } from './pins';
import { meetingStats, unscheduledRequests } from './report';
import type { RunReport, ScheduledMeeting, ScheduleResult, SchedulerInput } from './scheduler.types';
import { ScheduleState } from './state';

const round2 = (x: number) => Math.round(x * 100) / 100;
/** Bounds are rounded up, so a reported bound stays a bound. */
const roundUp2 = (x: number) => Math.ceil(x * 100) / 100;

function roundedBound(b: BoundReport): BoundReport {
  const lp = b.lp && { ...b.lp, ...(b.lp.value !== undefined ? { value: roundUp2(b.lp.value) } : {}) };
  return { ...b, value: roundUp2(b.value), combinatorial: roundUp2(b.combinatorial), ...(lp ? { lp } : {}) };
}

/** Recomputed from scratch (the incremental value can drift by float rounding). */
function objectiveOf(inst: Instance, state: ScheduleState): number {
  let total = 0;
  for (let e = 0; e < inst.E; e++) if (state.edgeSlot[e] !== -1) total += inst.ew[e]!;
  for (let p = 0; p < inst.P; p++) total += inst.weights.fairnessBonus * Math.min(state.cnt[p]!, inst.minMeetings);
  return total;
}

/** Table numbers: pins keep theirs, the rest take the lowest free numbers of their slot. */
function toMeetings(inst: Instance, state: ScheduleState, input: SchedulerInput): ScheduledMeeting[] {
  const pinIds = new Map(input.pinned.map((p) => [`${p.sessionId}#${p.slot}#${p.table}`, p.meetingId]));
  const out: ScheduledMeeting[] = [];
  for (let g = 0; g < inst.G; g++) {
    const edges = [...state.slotEdges[g]!].sort((x, y) => x - y);
    const used = new Set(edges.filter((e) => state.pinned[e]).map((e) => state.pinnedTable[e]!));
    let next = 1;
    for (const e of edges) {
      let table = state.pinnedTable[e]!;
      if (!state.pinned[e]) {
        while (used.has(next)) next++;
        table = next;
        used.add(next);
      }
      const sessionId = inst.sessionIds[inst.slotSession[g]!]!;
      const slot = inst.slotNumber[g]!;
      const meetingId = state.pinned[e] ? pinIds.get(`${sessionId}#${slot}#${table}`) : undefined;
      out.push({
        a: inst.participantIds[inst.ea[e]!]!,
        b: inst.participantIds[inst.eb[e]!]!,
        sessionId,
        slot,
        table,
        source: inst.edgeSource[e]!,
        requestIds: inst.edgeRequestIds[e]!,
        value: round2(inst.ew[e]!),
        pinned: state.pinned[e] === 1,
        ...(meetingId ? { meetingId } : {}),
      });
    }
  }
  return out;
}

function freshState(inst: Instance, input: SchedulerInput) {
  const state = new ScheduleState(inst);
  const dropped = placePins(inst, state, input);
  return { state, dropped };
}

/** The greedy first-fit baseline on its own (bench, property tests). */
export function scheduleGreedy(input: SchedulerInput): ScheduleResult {
  const clock = input.options?.clock ?? Date.now;
  const started = clock();
  const inst = buildInstance(input);
  const { state, dropped } = freshState(inst, input);
  greedyFirstFit(inst, state);
  return {
    meetings: toMeetings(inst, state, input),
    report: buildReport(inst, state, input, { started, clock, dropped, greedyObjective: objectiveOf(inst, state), iterations: 0, stoppedBy: 'converged' }),
  };
}

function buildReport(
  inst: Instance,
  state: ScheduleState,
  input: SchedulerInput,
  run: {
    started: number;
    clock: () => number;
    dropped: RunReport['droppedPinned'];
    greedyObjective: number;
    iterations: number;
    stoppedBy: RunReport['stoppedBy'];
    onBound?: () => void;
  },
): RunReport {
  const opts = input.options ?? {};
  run.onBound?.();
  const bound = bestUpperBound(inst, opts.lpSolver, opts.boundBudgetMs ?? 2000, run.clock);
  const unscheduled = unscheduledRequests(inst, state, input);
  const byReason: RunReport['unscheduledByReason'] = {};
  for (const u of unscheduled) byReason[u.reason] = (byReason[u.reason] ?? 0) + 1;
  return {
    objective: round2(objectiveOf(inst, state)),
    upperBound: roundUp2(bound.value),
    percentOfBound: bound.value > 0 ? round2((100 * objectiveOf(inst, state)) / bound.value) : 100,
    bound: roundedBound(bound),
    greedyObjective: round2(run.greedyObjective),
    meetings: state.meetings,
    unscheduled,
    unscheduledByReason: byReason,
    meetingsPerParticipant: meetingStats(inst, state),
    droppedPinned: run.dropped,
    runtimeMs: run.clock() - run.started,
    iterations: run.iterations,
    stoppedBy: run.stoppedBy,
    seed: input.options?.seed ?? 1,
  };
}

/**
 * The optimised schedule: pins first, then the better of (greedy first-fit, a fairness-first
 * construction), then time-bounded local search. The result is never worse than greedy,
 * because the search starts from at least the greedy schedule and only keeps non-worsening steps.
 */
export function schedule(input: SchedulerInput): ScheduleResult {
  const opts = input.options ?? {};
  const clock = opts.clock ?? Date.now;
  const started = clock();
  const seed = opts.seed ?? 1;
  const inst = buildInstance(input);

  const greedy = freshState(inst, input);
  greedyFirstFit(inst, greedy.state);
  const greedyObjective = objectiveOf(inst, greedy.state);
  opts.onProgress?.({ phase: 'greedy', objective: greedyObjective, iterations: 0, elapsedMs: clock() - started });

  // Fairness-first construction: round r only places pairs where someone still has fewer than r meetings.
  const built = freshState(inst, input);
  const order = Array.from({ length: inst.E }, (_, e) => e).sort((x, y) => inst.ew[y]! - inst.ew[x]! || x - y);
  for (let r = 1; r <= inst.minMeetings + 1; r++) {
    const last = r === inst.minMeetings + 1;
    for (const e of order) {
      if (built.state.edgeSlot[e] !== -1 || inst.ew[e]! <= 0) continue;
      if (!last && built.state.cnt[inst.ea[e]!]! >= r && built.state.cnt[inst.eb[e]!]! >= r) continue;
      let best = -1;
      for (let g = 0; g < inst.G; g++) {
        if (built.state.canPlace(e, g) && (best === -1 || built.state.load[g]! < built.state.load[best]!)) best = g;
      }
      if (best !== -1) built.state.place(e, best, false);
    }
  }
  opts.onProgress?.({ phase: 'construct', objective: built.state.objective, iterations: 0, elapsedMs: clock() - started });
  const start = built.state.objective >= greedyObjective ? built : greedy;

  const outcome = optimise(inst, start.state, {
    seed,
    clock,
    started,
    deadline: started + (opts.timeBudgetMs ?? 2000),
    maxIterations: opts.maxIterations ?? Number.POSITIVE_INFINITY,
    stallLimit: Math.max(200, Math.min(5000, inst.E * 2)),
    onProgress: opts.onProgress,
  });
  const onBound = () => opts.onProgress?.({ phase: 'bound', objective: start.state.objective, iterations: outcome.iterations, elapsedMs: clock() - started });
  const report = buildReport(inst, start.state, input, {
    started,
    clock,
    dropped: start.dropped,
    greedyObjective,
    iterations: outcome.iterations,
    stoppedBy: outcome.stoppedBy,
    onBound,
  });
  opts.onProgress?.({ phase: 'done', objective: report.objective, iterations: outcome.iterations, elapsedMs: report.runtimeMs });
  return { meetings: toMeetings(inst, start.state, input), report };
}
