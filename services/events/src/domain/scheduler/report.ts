import { Instance, pairKey, typesAllowed } from './instance';
import type { MeetingStats, SchedulerInput, UnscheduledReason, UnscheduledRequest } from './scheduler.types';
import type { ScheduleState } from './state';

/** Why a request did not become a meeting, most fundamental reason first. */
function reasonFor(inst: Instance, state: ScheduleState, input: SchedulerInput, a: number, b: number): UnscheduledReason {
  if (a === b || !typesAllowed(input.allowedTypePairs, inst.types[a]!, inst.types[b]!)) return 'not_allowed_by_rules';
  const { G, S, avail, busy } = { ...inst, busy: state.busy };
  const shared: number[] = [];
  for (let g = 0; g < G; g++) if (avail[a * G + g] && avail[b * G + g]) shared.push(g);
  if (!shared.length) return 'no_shared_free_slot';
  const capped = (p: number) => state.cnt[p]! >= inst.capTotal[p]! || shared.every((g) => state.cntSess[p * S + inst.slotSession[g]!]! >= inst.capSession[p]!);
  if (capped(a) || capped(b)) return 'cap_reached';
  const bothFree = shared.filter((g) => busy[a * G + g] === -1 && busy[b * G + g] === -1);
  if (bothFree.length && bothFree.every((g) => state.load[g]! >= inst.slotTables[g]!)) return 'no_table';
  if (!bothFree.length) return 'lost_to_higher_value';
  // Both free somewhere with a table left but not placed: only the time budget can explain it.
  return 'lost_to_higher_value';
}

export function unscheduledRequests(inst: Instance, state: ScheduleState, input: SchedulerInput): UnscheduledRequest[] {
  const out: UnscheduledRequest[] = [];
  for (const r of input.requests) {
    const a = inst.participantIndex.get(r.from);
    const b = inst.participantIndex.get(r.to);
    const base = { requestId: r.id, from: r.from, to: r.to, priority: r.priority };
    if (a === undefined || b === undefined) {
      out.push({ ...base, reason: 'unknown_participant' });
      continue;
    }
    const e = inst.edgeOfPair.get(pairKey(a, b));
    if (e !== undefined && state.edgeSlot[e] !== -1) continue;
    if (inst.declinedPairs.has(pairKey(a, b))) out.push({ ...base, reason: 'declined' });
    else if (r.status === 'expired') out.push({ ...base, reason: 'expired' });
    else out.push({ ...base, reason: reasonFor(inst, state, input, a, b) });
  }
  return out;
}

export function meetingStats(inst: Instance, state: ScheduleState): MeetingStats {
  // Over participants who could have had a meeting at all (they have a usable pair).
  const counts: number[] = [];
  for (let p = 0; p < inst.P; p++) if (inst.adj[p]!.some((e) => inst.ew[e]! > 0 || state.edgeSlot[e] !== -1)) counts.push(state.cnt[p]!);
  counts.sort((x, y) => x - y);
  if (!counts.length) return { min: 0, median: 0, max: 0, mean: 0, participants: 0, belowTarget: 0 };
  const mid = counts.length >> 1;
  const median = counts.length % 2 ? counts[mid]! : (counts[mid - 1]! + counts[mid]!) / 2;
  return {
    min: counts[0]!,
    median,
    max: counts[counts.length - 1]!,
    mean: Math.round((counts.reduce((s, c) => s + c, 0) / counts.length) * 100) / 100,
    participants: counts.length,
    belowTarget: counts.filter((c) => c < inst.minMeetings).length,
  };
}
