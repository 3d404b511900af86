import type { Instance } from './instance';

/**
 * A (partial) schedule: which edge sits in which global slot, with the counters every
 * feasibility check needs, an incrementally kept objective, and an undo journal so a
 * tentative move can be rolled back exactly.
 */
export class ScheduleState {
  readonly busy: Int32Array;
  readonly load: Int32Array;
  readonly cnt: Int32Array;
  readonly cntSess: Int32Array;
  readonly edgeSlot: Int32Array;
  readonly pinned: Uint8Array;
  readonly pinnedTable: Int32Array;
  readonly slotEdges: number[][];
  private readonly edgePos: Int32Array;
  private readonly journal: number[] = [];
  objective = 0;
  meetings = 0;

  constructor(readonly inst: Instance) {
    const { P, G, S, E } = inst;
    this.busy = new Int32Array(P * G).fill(-1);
    this.load = new Int32Array(G);
    this.cnt = new Int32Array(P);
    this.cntSess = new Int32Array(P * Math.max(1, S));
    this.edgeSlot = new Int32Array(E).fill(-1);
    this.pinned = new Uint8Array(E);
    this.pinnedTable = new Int32Array(E);
    this.edgePos = new Int32Array(E).fill(-1);
    this.slotEdges = Array.from({ length: G }, () => [] as number[]);
  }

  /** Objective contribution of one participant's fairness term when they go from c to c+1 meetings. */
  private bonusStep(c: number): number {
    return c < this.inst.minMeetings ? this.inst.weights.fairnessBonus : 0;
  }

  gainOfAdd(e: number): number {
    const { ea, eb, ew } = this.inst;
    return ew[e]! + this.bonusStep(this.cnt[ea[e]!]!) + this.bonusStep(this.cnt[eb[e]!]!);
  }

  lossOfRemove(e: number): number {
    const { ea, eb, ew } = this.inst;
    return ew[e]! + this.bonusStep(this.cnt[ea[e]!]! - 1) + this.bonusStep(this.cnt[eb[e]!]! - 1);
  }

  /** Caps of both participants allow one more meeting in slot g's session. */
  capsAllow(e: number, g: number): boolean {
    const { ea, eb, capTotal, capSession, slotSession, S } = this.inst;
    const a = ea[e]!;
    const b = eb[e]!;
    const s = slotSession[g]!;
    return this.cnt[a]! < capTotal[a]! && this.cnt[b]! < capTotal[b]! && this.cntSess[a * S + s]! < capSession[a]! && this.cntSess[b * S + s]! < capSession[b]!;
  }

  bothAvailable(e: number, g: number): boolean {
    const { ea, eb, avail, G } = this.inst;
    return avail[ea[e]! * G + g] === 1 && avail[eb[e]! * G + g] === 1;
  }

  canPlace(e: number, g: number): boolean {
    const { ea, eb, G, slotTables } = this.inst;
    return (
      this.edgeSlot[e] === -1 &&
      this.bothAvailable(e, g) &&
      this.busy[ea[e]! * G + g] === -1 &&
      this.busy[eb[e]! * G + g] === -1 &&
      this.load[g]! < slotTables[g]! &&
      this.capsAllow(e, g)
    );
  }

  place(e: number, g: number, record = true): void {
    const { ea, eb, G, S, slotSession } = this.inst;
    const a = ea[e]!;
    const b = eb[e]!;
    const s = slotSession[g]!;
    this.objective += this.gainOfAdd(e);
    this.busy[a * G + g] = e;
    this.busy[b * G + g] = e;
    this.load[g]!++;
    this.cnt[a]!++;
    this.cnt[b]!++;
    this.cntSess[a * S + s]!++;
    this.cntSess[b * S + s]!++;
    this.edgeSlot[e] = g;
    this.edgePos[e] = this.slotEdges[g]!.length;
    this.slotEdges[g]!.push(e);
    this.meetings++;
    if (record) this.journal.push(e + 1, g);
  }

  remove(e: number, record = true): void {
    const { ea, eb, G, S, slotSession } = this.inst;
    const g = this.edgeSlot[e]!;
    const a = ea[e]!;
    const b = eb[e]!;
    const s = slotSession[g]!;
    this.objective -= this.lossOfRemove(e);
    this.busy[a * G + g] = -1;
    this.busy[b * G + g] = -1;
    this.load[g]!--;
    this.cnt[a]!--;
    this.cnt[b]!--;
    this.cntSess[a * S + s]!--;
    this.cntSess[b * S + s]!--;
    this.edgeSlot[e] = -1;
    // swap-remove from the slot's list
    const list = this.slotEdges[g]!;
    const pos = this.edgePos[e]!;
    const last = list.pop()!;
    if (last !== e) {
      list[pos] = last;
      this.edgePos[last] = pos;
    }
    this.edgePos[e] = -1;
    this.meetings--;
    if (record) this.journal.push(-(e + 1), g);
  }

  checkpoint(): number {
    return this.journal.length;
  }

  rollback(cp: number): void {
    while (this.journal.length > cp) {
      const g = this.journal.pop()!;
      const op = this.journal.pop()!;
      if (op > 0) this.remove(op - 1, false);
      else this.place(-op - 1, g, false);
    }
  }

  /** Forget the journal once a state is final (keeps memory flat in long runs). */
  commit(): void {
    this.journal.length = 0;
  }

  /** Copy of the placement (edge → global slot), to compare or restore candidates. */
  snapshot(): Int32Array {
    return Int32Array.from(this.edgeSlot);
  }
}
