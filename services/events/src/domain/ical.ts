import { offsetMinutes, transitionsInYear } from './time';

// Line breaks of any convention (CRLF, bare CR, LF, NEL, U+2028/9): a strict reader ends a content
// line at a bare CR, so every one of them becomes the escaped `\n` of a TEXT value.
const LINE_BREAK = /\r\n|[\r\n\u0085\u2028\u2029]/g;
// RFC 5545 TSAFE-CHAR excludes every other control character (tab stays allowed).
// eslint-disable-next-line no-control-regex -- finding control characters is the purpose
const NON_TEXT_CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u0084\u0086-\u009F]/g;

/** RFC 5545 §3.3.11 TEXT escaping: backslash, `;`, `,`, line breaks; other controls become U+FFFD. */
export function icsText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(LINE_BREAK, '\\n').replace(NON_TEXT_CONTROL, '\uFFFD');
}

const FOLD_OCTETS = 75;

/**
 * RFC 5545 §3.1 folding: content lines of at most 75 octets (the leading space of a
 * continuation line counts), split between code points so no UTF-8 sequence or surrogate
 * pair is ever cut.
 */
export function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    if (octets + size > FOLD_OCTETS) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
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
  status: 'CONFIRMED' | 'CANCELLED';
  /** Grows with every change, so clients replace the copy they imported. */
  sequence: number;
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
      `STATUS:${e.status}`,
      `SEQUENCE:${e.sequence}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}
