import type { Instance } from './instance';
import type { ScheduleState } from './state';

/** Edges by value, heaviest first; ties keep input order (requests before suggestions). */
export function edgesByValue(inst: Instance): number[] {
  const order = Array.from({ length: inst.E }, (_, e) => e);
  return order.sort((x, y) => inst.ew[y]! - inst.ew[x]! || x - y);
}

/**
 * Baseline: what common B2B tools do. Take pairs by value and put each into the first
 * (slot, table) where both are free; never revisit a decision.
 */
export function greedyFirstFit(inst: Instance, state: ScheduleState): void {
  for (const e of edgesByValue(inst)) {
    if (state.edgeSlot[e] !== -1 || inst.ew[e]! <= 0) continue;
    for (let g = 0; g < inst.G; g++) {
      if (state.canPlace(e, g)) {
        state.place(e, g, false);
        break;
      }
    }
  }
}
