import { buildCalendar } from '../src/domain/ical';
import { localToInstant, offsetMinutes, transitionsInYear } from '../src/domain/time';

describe('time zones', () => {
  it('when a Rome wall-clock time is converted in winter and summer, then the UTC instant shifts by the DST hour', () => {
    expect(localToInstant('2026-01-15', '09:00', 'Europe/Rome').toISOString()).toBe('2026-01-15T08:00:00.000Z');
    expect(localToInstant('2026-06-10', '09:00', 'Europe/Rome').toISOString()).toBe('2026-06-10T07:00:00.000Z');
    expect(offsetMinutes('America/New_York', Date.UTC(2026, 6, 1))).toBe(-240);
  });

  it('when the year of an event is given, then the VTIMEZONE lists the real Rome transitions (last Sunday of March and October)', () => {
    expect(transitionsInYear('Europe/Rome', 2026).map((t) => [new Date(t.atMs).toISOString(), t.from, t.to])).toEqual([
      ['2026-03-29T01:00:00.000Z', 60, 120],
      ['2026-10-25T01:00:00.000Z', 120, 60],
    ]);
    const ics = buildCalendar({ name: 'x', timeZone: 'Europe/Rome', stampMs: Date.UTC(2026, 5, 1), events: [] });
    expect(ics).toContain('BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200');
  });

  it('when a description has commas, semicolons and long text, then it is escaped and folded at 75 octets', () => {
    const ics = buildCalendar({
      name: 'Day',
      timeZone: 'UTC',
      stampMs: Date.UTC(2026, 0, 1),
      events: [
        {
          uid: 'm1@x',
          date: '2026-06-10',
          start: '09:00',
          end: '09:20',
          summary: 'A, B; C',
          location: 'Hall, Table 3',
          description: 'x'.repeat(200),
          status: 'CONFIRMED',
          sequence: 1,
        },
      ],
    });
    expect(ics).toContain('SUMMARY:A\\, B\\; C');
    expect(ics.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    expect(ics).toContain('DTSTART;TZID=UTC:20260610T090000');
  });
});
