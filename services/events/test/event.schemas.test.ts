import { EventInput, EventPatch, SessionInput } from '../src/domain/event.schemas';
import { MeetingRequestInput } from '../src/domain/request.schemas';

const session = (date: string) => ({ id: 'am', date, start: '09:00', end: '11:00', slotMinutes: 20, tables: 4 });

describe('event input validation', () => {
  it.each(['2027-02-30', '2027-02-29', '2027-13-01', '2027-00-10'])(
    'when a session date is %s (not a calendar day), then it is refused on sessions.date',
    (date) => {
      const result = SessionInput.safeParse(session(date));
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['date']);
    },
  );

  it('when a session date is a real day (including 29 February of a leap year), then it is accepted', () => {
    expect(SessionInput.safeParse(session('2028-02-29')).success).toBe(true);
    expect(SessionInput.safeParse(session('2027-06-10')).success).toBe(true);
  });
});

describe('event free text', () => {
  const event = {
    title: 'Life Sciences B2B Day',
    venue: 'MIND, Milano',
    timeZone: 'Europe/Rome',
    sessions: [{ id: 'am', name: 'Morning', date: '2027-06-10', start: '09:00', end: '11:00', slotMinutes: 20, tables: 4 }],
  };
  const fieldsOf = (r: { error?: { issues: { path: PropertyKey[] }[] } }) => (r.error?.issues ?? []).map((i) => i.path.map(String).join('.'));

  it('when title, venue or a session name carry a bare CR or a bidi override, then each is refused by name', () => {
    const r = EventInput.safeParse({
      ...event,
      title: 'B2B\rEND:VEVENT',
      venue: 'MIND\u202E',
      sessions: [{ ...event.sessions[0], name: 'Morning\u0000' }],
    });
    expect(fieldsOf(r).sort()).toEqual(['sessions.0.name', 'title', 'venue']);
    expect(EventPatch.safeParse({ venue: 'Hall\r=1+2' }).success).toBe(false);
  });

  it('when a meeting request message has line breaks, then they are kept, but a bare CR or ESC is refused', () => {
    expect(MeetingRequestInput.parse({ to: 'p1', message: 'Hello,\r\nlet us meet.\n\tBest' }).message).toBe('Hello,\nlet us meet.\n\tBest');
    expect(fieldsOf(MeetingRequestInput.safeParse({ to: 'p1', message: 'Hi\rthere' }))).toEqual(['message']);
    expect(fieldsOf(MeetingRequestInput.safeParse({ to: 'p1', message: 'Hi\u001b[2J' }))).toEqual(['message']);
  });

  it('when a title is typed with combining characters, then it is stored in NFC', () => {
    expect(EventInput.parse({ ...event, title: 'Giornata dell\u2019innovazione e\u0300 qui' }).title).toBe('Giornata dell\u2019innovazione \u00e8 qui');
  });
});
