/**
 * Wall-clock ↔ instant conversion for an IANA zone with nothing but Intl (no tz database
 * dependency): the offset of a zone at an instant is read back from Intl's formatted parts.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Offset of `tz` from UTC at `instantMs`, in minutes (Europe/Rome in July: +120). */
export function offsetMinutes(tz: string, instantMs: number): number {
  const parts = Object.fromEntries(
    formatter(tz)
      .formatToParts(new Date(instantMs))
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  return Math.round((asUtc - Math.floor(instantMs / 1000) * 1000) / 60_000);
}

/** The instant at which the wall clock in `tz` shows `date` `time` (YYYY-MM-DD, HH:MM). */
export function localToInstant(date: string, time: string, tz: string): Date {
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi] = time.split(':').map(Number);
  const wall = Date.UTC(y!, mo! - 1, d!, h!, mi!);
  let guess = wall - offsetMinutes(tz, wall) * 60_000;
  // Second pass settles guesses that straddle a DST change.
  guess = wall - offsetMinutes(tz, guess) * 60_000;
  return new Date(guess);
}

export interface Transition {
  atMs: number;
  from: number;
  to: number;
}

/** Offset changes of `tz` during `year` (found by day scan, then bisection to the minute). */
export function transitionsInYear(tz: string, year: number): Transition[] {
  const out: Transition[] = [];
  let t = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  let prev = offsetMinutes(tz, t);
  const day = 86_400_000;
  while (t < end) {
    const next = t + day;
    const off = offsetMinutes(tz, next);
    if (off !== prev) {
      let lo = t;
      let hi = next;
      while (hi - lo > 60_000) {
        const mid = Math.floor((lo + hi) / 2 / 60_000) * 60_000;
        if (offsetMinutes(tz, mid) === prev) lo = mid;
        else hi = mid;
      }
      out.push({ atMs: hi, from: prev, to: off });
      prev = off;
    }
    t = next;
  }
  return out;
}
