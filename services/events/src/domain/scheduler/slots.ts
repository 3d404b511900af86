/** Session timing: which slot numbers exist, which are breaks, and their local start/end. */
export interface SessionTiming {
  /** HH:MM local time in the event's time zone. */
  start: string;
  end: string;
  slotMinutes: number;
  /** Slot numbers (0-based) reserved for breaks. */
  breakSlots?: number[];
}

export interface SlotTime {
  slot: number;
  /** HH:MM local */
  start: string;
  end: string;
  isBreak: boolean;
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

function toHhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Every slot of a session (breaks included, flagged); a trailing partial slot is dropped. */
export function sessionSlots(t: SessionTiming): SlotTime[] {
  const start = toMinutes(t.start);
  const count = Math.floor((toMinutes(t.end) - start) / t.slotMinutes);
  const breaks = new Set(t.breakSlots ?? []);
  const out: SlotTime[] = [];
  for (let i = 0; i < Math.max(0, count); i++) {
    out.push({ slot: i, start: toHhmm(start + i * t.slotMinutes), end: toHhmm(start + (i + 1) * t.slotMinutes), isBreak: breaks.has(i) });
  }
  return out;
}

/** Slot numbers meetings can use. */
export function meetingSlots(t: SessionTiming): number[] {
  return sessionSlots(t)
    .filter((s) => !s.isBreak)
    .map((s) => s.slot);
}
