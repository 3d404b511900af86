/** Dates and times are shown in the event's time zone, in the UI language. */
export function formatInZone(
  iso: string,
  timeZone: string,
  lang: string,
  opts: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' },
): string {
  return new Intl.DateTimeFormat(lang === 'it' ? 'it-IT' : 'en-GB', { ...opts, timeZone }).format(new Date(iso));
}

/** A calendar date (YYYY-MM-DD of the event's own calendar) in words, without shifting it. */
export function formatDay(date: string, lang: string): string {
  return new Intl.DateTimeFormat(lang === 'it' ? 'it-IT' : 'en-GB', { dateStyle: 'full', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

/** Start and end (HH:MM, wall clock of the event's zone) of slot n of a session. */
export function slotTimes(session: { start: string; slotMinutes: number }, slot: number): { start: string; end: string } {
  const [h, m] = session.start.split(':').map(Number) as [number, number];
  const at = (mins: number) => `${String(Math.floor(mins / 60) % 24).padStart(2, '0')}:${String(mins % 60).padStart(2, '0')}`;
  const from = h * 60 + m + slot * session.slotMinutes;
  return { start: at(from), end: at(from + session.slotMinutes) };
}

/** Number of slots of a session (whole slots between start and end). */
export function slotCount(session: { start: string; end: string; slotMinutes: number }): number {
  const mins = (s: string) => {
    const [h, m] = s.split(':').map(Number) as [number, number];
    return h * 60 + m;
  };
  return Math.floor((mins(session.end) - mins(session.start)) / session.slotMinutes);
}
