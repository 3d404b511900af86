import { parse as parseCsv } from 'csv-parse/sync';
import ICAL from 'ical.js';
import ical from 'node-ical';
import { agendaCsv, agendaIcs, type agendaOf } from '../src/domain/agenda.usecases';
import { csvText } from '../src/domain/csv';
import { fold, icsText } from '../src/domain/ical';

type Agenda = Awaited<ReturnType<typeof agendaOf>>;

// The probe's payloads: a name that plants a whole fake event, a CSV row with a formula, and friends.
const FAKE_EVENT = 'Acme\rEND:VEVENT\rBEGIN:VEVENT\rUID:evil@x\rDTSTART:20260610T090000Z\rSUMMARY:Urgent - pay the registration fee\rEND:VEVENT\rBEGIN:VEVENT';
const PAYLOADS = [
  FAKE_EVENT,
  'Acme\r=1+2',
  'Acme\n=HYPERLINK("http://evil")',
  '=1+2',
  "+cmd|'/c calc'!A0",
  '@SUM(A1)',
  ' -2+3',
  'Semi;colon, "quoted" back\\slash',
  'Nul\u0000Esc\u001bNel\u0085Ls\u2028End',
];

/** An agenda as `agendaOf` returns it, with the given counterpart names (only what the encoders read). */
function agendaWith(names: string[], overrides: { title?: string; venue?: string; sessionName?: string } = {}): Agenda {
  const event = { id: 'ev1', title: overrides.title ?? 'Life Sciences B2B Day', timeZone: 'Europe/Rome', online: false, venue: overrides.venue ?? 'MIND' };
  const items = names.map((name, i) => ({
    meetingId: `m${i}`,
    sessionId: 'am',
    sessionName: overrides.sessionName ?? 'Morning',
    date: '2026-06-10',
    start: `09:${String(i * 2).padStart(2, '0')}`,
    end: `09:${String(i * 2 + 1).padStart(2, '0')}`,
    startsAt: '',
    endsAt: '',
    timeZone: 'Europe/Rome',
    table: i + 1,
    location: `${event.venue}, Table ${i + 1}`,
    status: 'scheduled',
    counterpart: { participantId: `p${i}`, organisationId: `org-${i}`, name, type: 'company' },
  }));
  return { event, participant: { organisation: { name: 'Me S.p.A.' } }, items, sequence: 1 } as unknown as Agenda;
}

/** RFC 5545 §3.1: every content line ends in CRLF and is at most 75 octets; no other CR or LF. */
function expectWellFormedContentLines(text: string) {
  expect(text.endsWith('\r\n')).toBe(true);
  const lines = text.slice(0, -2).split('\r\n');
  for (const line of lines) {
    expect(line).not.toMatch(/[\r\n]/);
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  }
}

describe('iCalendar agenda (RFC 5545)', () => {
  it('when counterpart names carry the probe payloads, then a strict parser (ical.js) sees exactly one VEVENT per meeting with the names intact', () => {
    const text = agendaIcs(agendaWith(PAYLOADS), Date.UTC(2026, 0, 1));
    expectWellFormedContentLines(text);
    const vevents = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent');
    expect(vevents.map((v) => v.getFirstPropertyValue('uid'))).toEqual(PAYLOADS.map((_p, i) => `m${i}@events.lombardy-match`));
    // Line breaks of every convention read back as \n; other controls as U+FFFD; nothing is lost.
    expect(vevents[0]!.getFirstPropertyValue('summary')).toBe(`B2B meeting: ${FAKE_EVENT.replace(/\r/g, '\n')}`);
    expect(vevents[7]!.getFirstPropertyValue('summary')).toBe('B2B meeting: Semi;colon, "quoted" back\\slash');
    expect(vevents[8]!.getFirstPropertyValue('summary')).toBe('B2B meeting: Nul\uFFFDEsc\uFFFDNel\nLs\nEnd');
  });

  it('when the event title, venue and session carry bare CRs, then node-ical also reads one event per meeting and no planted UID', () => {
    const text = agendaIcs(agendaWith(['Beta'], { title: FAKE_EVENT, venue: 'Hall\rLOCATION:elsewhere' }), Date.UTC(2026, 0, 1));
    expectWellFormedContentLines(text);
    const vevents = Object.values(ical.sync.parseICS(text)).filter((c) => c.type === 'VEVENT') as ical.VEvent[];
    expect(vevents.map((v) => v.uid)).toEqual(['m0@events.lombardy-match']);
    expect(String(vevents[0]!.location)).toBe('Hall\nLOCATION:elsewhere, Table 1');
  });

  it('when a line is long and multi-byte (accents, CJK, emoji), then folding keeps lines within 75 octets without cutting a character', () => {
    const name = 'Università degli Studi di Milano-Bicocca 北京大学 🧬🧪 '.repeat(6);
    const text = agendaIcs(agendaWith([name]), Date.UTC(2026, 0, 1));
    expectWellFormedContentLines(text);
    const [vevent] = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent');
    expect(vevent!.getFirstPropertyValue('summary')).toBe(`B2B meeting: ${name}`);
    expect(fold('x'.repeat(74) + '🧬')).toBe(`${'x'.repeat(74)}\r\n 🧬`);
  });

  it('when text is escaped, then backslash, semicolon, comma and every line break convention are escaped', () => {
    expect(icsText('a\\b;c,d\r\ne\rf\ng')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng');
  });
});

describe('CSV agenda (RFC 4180)', () => {
  it('when counterpart names carry the probe payloads, then a reader that breaks rows at any CR or LF outside quotes still reads one row per meeting and no cell starts a formula', () => {
    const text = agendaCsv(agendaWith(PAYLOADS));
    expect(text.replace(/\r\n/g, '')).not.toContain('\r');
    const rows = parseCsv(text, { record_delimiter: ['\r\n', '\r', '\n'], relax_quotes: false, relax_column_count: false }) as string[][];
    expect(rows).toHaveLength(PAYLOADS.length + 1);
    const names = rows.slice(1).map((r) => r[6]!);
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^\s*[=+\-@\t\r]/);
    expect(names[1]).toBe('Acme\n=1+2');
    expect(names[3]).toBe("'=1+2");
    expect(names[6]).toBe("' -2+3");
    expect(names[7]).toBe('Semi;colon, "quoted" back\\slash');
    expect(rows[1]![5]).toBe('1');
  });

  it('when a cell starts with a formula character or a tab, then it is prefixed with an apostrophe; ordinary text is unchanged', () => {
    expect(['=A1', '+1', '-1', '@x', '\t=1', '\r=1', '  =1'].map(csvText)).toEqual(["'=A1", "'+1", "'-1", "'@x", "'\t=1", "'\n=1", "'  =1"]);
    expect(csvText('Acme S.p.A. - Milano')).toBe('Acme S.p.A. - Milano');
  });
});
