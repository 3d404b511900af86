import { offsetMinutes, transitionsInYear } from './time';

/** RFC 5545 text escaping and 75-octet line folding. */
export function icsText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

function fold(line: string): string {
  const out: string[] = [];
  let rest = line;
  while (Buffer.byteLength(rest) > 75) {
    let cut = 75;
    while (Buffer.byteLength(rest.slice(0, cut)) > 75) cut--;
    out.push(rest.slice(0, cut));
    rest = ' ' + rest.slice(cut);
  }
  out.push(rest);
  return out.join('\r\n');
}

const pad = (n: number) => String(n).padStart(2, '0');
/** Floating local date-time from a wall-clock date + HH:MM. */
export function icsLocal(date: string, time: string): string {
  return `${date.replace(/-/g, '')}T${time.replace(':', '')}00`;
}
function icsUtc(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
}
function offset(min: number): string {
  const sign = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `${sign}${pad(Math.floor(a / 60))}${pad(a % 60)}`;
}
function localOf(ms: number, offsetMin: number): string {
  return icsUtc(ms + offsetMin * 60_000).replace('Z', '');
}

/**
 * VTIMEZONE for the zone's real transitions in the given years (from Intl), so clients
 * without the IANA database still show the right local times.
 */
export function vtimezone(tz: string, years: number[]): string[] {
  const lines = ['BEGIN:VTIMEZONE', `TZID:${tz}`];
  const transitions = [...new Set(years)].sort().flatMap((y) => transitionsInYear(tz, y));
  if (!transitions.length) {
    const off = offsetMinutes(tz, Date.UTC(years[0] ?? 2025, 0, 1));
    lines.push('BEGIN:STANDARD', 'DTSTART:19700101T000000', `TZOFFSETFROM:${offset(off)}`, `TZOFFSETTO:${offset(off)}`, 'END:STANDARD');
  }
  for (const t of transitions) {
    const kind = t.to > t.from ? 'DAYLIGHT' : 'STANDARD';
    lines.push(`BEGIN:${kind}`, `DTSTART:${localOf(t.atMs, t.from)}`, `TZOFFSETFROM:${offset(t.from)}`, `TZOFFSETTO:${offset(t.to)}`, `END:${kind}`);
  }
  lines.push('END:VTIMEZONE');
  return lines;
}

export interface IcsEvent {
  uid: string;
  date: string;
  start: string;
  end: string;
  summary: string;
  location: string;
  description: string;
}

export function buildCalendar(opts: { name: string; timeZone: string; stampMs: number; events: IcsEvent[] }): string {
  const years = opts.events.map((e) => Number(e.date.slice(0, 4)));
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Lombardy Match//Events service//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${icsText(opts.name)}`,
    `X-WR-TIMEZONE:${opts.timeZone}`,
    ...vtimezone(opts.timeZone, years.length ? years : [new Date(opts.stampMs).getUTCFullYear()]),
  ];
  for (const e of opts.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `DTSTAMP:${icsUtc(opts.stampMs)}`,
      `DTSTART;TZID=${opts.timeZone}:${icsLocal(e.date, e.start)}`,
      `DTEND;TZID=${opts.timeZone}:${icsLocal(e.date, e.end)}`,
      `SUMMARY:${icsText(e.summary)}`,
      `LOCATION:${icsText(e.location)}`,
      `DESCRIPTION:${icsText(e.description)}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}
