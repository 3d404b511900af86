import { Instance, pairKey, typesAllowed } from './instance';
import type { SchedPinned, SchedulerInput } from './scheduler.types';
import type { ScheduleState } from './state';

/**
 * Places the already-published meetings first and never moves them. A pin that breaks a
 * hard constraint now (a participant became unavailable, a pair was declined since…) is
 * dropped and reported, so the output still satisfies every constraint.
 */
export function placePins(inst: Instance, state: ScheduleState, input: SchedulerInput): { pin: SchedPinned; reason: string }[] {
  const dropped: { pin: SchedPinned; reason: string }[] = [];
  const tablesUsed = new Set<string>();
  for (const pin of input.pinned) {
    const a = inst.participantIndex.get(pin.a);
    const b = inst.participantIndex.get(pin.b);
    const g = inst.globalSlot.get(`${pin.sessionId}#${pin.slot}`);
    const reason = (() => {
      if (a === undefined || b === undefined) return 'unknown_participant';
      if (a === b) return 'same_participant';
      if (g === undefined) return 'unknown_slot';
      if (pin.table < 1 || pin.table > inst.slotTables[g]!) return 'no_such_table';
      if (tablesUsed.has(`${g}#${pin.table}`)) return 'table_taken';
      if (inst.declinedPairs.has(pairKey(a, b))) return 'declined';
      if (!typesAllowed(input.allowedTypePairs, inst.types[a]!, inst.types[b]!)) return 'not_allowed_by_rules';
      const e = inst.edgeOfPair.get(pairKey(a, b))!;
      if (state.edgeSlot[e] !== -1) return 'pair_already_meets';
      if (!state.bothAvailable(e, g)) return 'participant_unavailable';
      if (state.busy[a * inst.G + g] !== -1 || state.busy[b * inst.G + g] !== -1) return 'double_booked';
      if (!state.capsAllow(e, g)) return 'cap_reached';
      return undefined;
    })();
    if (reason) {
      dropped.push({ pin, reason });
      continue;
    }
    const e = inst.edgeOfPair.get(pairKey(a!, b!))!;
    state.place(e, g!, false);
    state.pinned[e] = 1;
    state.pinnedTable[e] = pin.table;
    tablesUsed.add(`${g}#${pin.table}`);
  }
  return dropped;
}
