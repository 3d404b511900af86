import { SessionInput } from '../src/domain/event.schemas';

const session = (date: string) => ({ id: 'am', date, start: '09:00', end: '11:00', slotMinutes: 20, tables: 4 });

describe('event input validation', () => {
  it.each(['2027-02-30', '2027-02-29', '2027-13-01', '2027-00-10'])('when a session date is %s (not a calendar day), then it is refused on sessions.date', (date) => {
    const result = SessionInput.safeParse(session(date));
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['date']);
  });

  it('when a session date is a real day (including 29 February of a leap year), then it is accepted', () => {
    expect(SessionInput.safeParse(session('2028-02-29')).success).toBe(true);
    expect(SessionInput.safeParse(session('2027-06-10')).success).toBe(true);
  });
});
