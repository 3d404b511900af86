import { findViolations, meetingSlots, schedule, scheduleGreedy, SchedulerInput, sessionSlots } from '../src/domain/scheduler';

const base = (over: Partial<SchedulerInput>): SchedulerInput => ({
  sessions: [{ id: 's1', slots: [0, 1], tables: 5 }],
  participants: [],
  requests: [],
  suggestions: [],
  allowedTypePairs: null,
  caps: {},
  pinned: [],
  // Bounded by iterations, not time: the default 2 s budget could stop a run early on a loaded machine.
  options: { seed: 7, maxIterations: 200, timeBudgetMs: 600_000 },
  ...over,
});
const P = (id: string, type = 'company', extra: object = {}) => ({ id, type, ...extra });

describe('session slots', () => {
  it('when a session runs 09:00-10:00 in 20-minute slots with slot 1 a break, then slots 0 and 2 hold meetings', () => {
    expect(sessionSlots({ start: '09:00', end: '10:00', slotMinutes: 20, breakSlots: [1] })).toEqual([
      { slot: 0, start: '09:00', end: '09:20', isBreak: false },
      { slot: 1, start: '09:20', end: '09:40', isBreak: true },
      { slot: 2, start: '09:40', end: '10:00', isBreak: false },
    ]);
    expect(meetingSlots({ start: '09:00', end: '10:05', slotMinutes: 20, breakSlots: [1] })).toEqual([0, 2]);
  });
});

describe('scheduler', () => {
  it('when greedy fills the only shared slot badly, then the optimiser moves a meeting and fits every accepted request', () => {
    // a-b can meet in slot 0 or 1; a-c only in slot 0. Greedy puts a-b (heavier) in slot 0 and loses a-c.
    const input = base({
      participants: [P('a'), P('b'), P('c', 'company', { availability: { s1: [0] } })],
      requests: [
        { id: 'r1', from: 'a', to: 'b', priority: 'must_meet', status: 'accepted' },
        { id: 'r2', from: 'a', to: 'c', priority: 'would_like', status: 'accepted' },
      ],
    });
    const greedy = scheduleGreedy(input);
    const opt = schedule(input);
    expect(greedy.meetings).toHaveLength(1);
    expect(greedy.report.unscheduled).toEqual([expect.objectContaining({ requestId: 'r2', reason: 'lost_to_higher_value' })]);
    expect(opt.meetings).toHaveLength(2);
    expect(opt.report.unscheduled).toEqual([]);
    expect(opt.report.objective).toBeGreaterThan(greedy.report.objective);
    expect(findViolations(input, opt.meetings)).toEqual([]);
  });

  it('when requests cannot be met, then each one is reported with its reason', () => {
    const input = base({
      sessions: [{ id: 's1', slots: [0, 1], tables: 1 }],
      participants: [
        P('co'),
        P('inv', 'investor'),
        P('rc', 'research_centre', { availability: { s1: [1] } }),
        P('co2', 'company', { availability: { s1: [0] } }),
        P('co3', 'company', { capTotal: 0 }),
        P('co4'),
      ],
      allowedTypePairs: [
        ['company', 'investor'],
        ['company', 'company'],
        ['company', 'research_centre'],
      ],
      requests: [
        { id: 'rules', from: 'inv', to: 'rc', priority: 'must_meet', status: 'accepted' },
        { id: 'slot', from: 'rc', to: 'co2', priority: 'must_meet', status: 'accepted' },
        { id: 'cap', from: 'co3', to: 'co', priority: 'must_meet', status: 'accepted' },
        { id: 'no', from: 'co', to: 'co4', priority: 'must_meet', status: 'declined' },
        { id: 'old', from: 'co4', to: 'co2', priority: 'would_like', status: 'expired' },
      ],
    });
    const reasons = Object.fromEntries(schedule(input).report.unscheduled.map((u) => [u.requestId, u.reason]));
    expect(reasons).toEqual({ rules: 'not_allowed_by_rules', slot: 'no_shared_free_slot', cap: 'cap_reached', no: 'declined', old: 'expired' });
  });

  it('when tables are scarce, then everyone who wants a meeting gets one before anyone gets a second', () => {
    // One table, three slots: "star" is wanted by everyone; without fairness star would take all slots.
    const input = base({
      sessions: [{ id: 's1', slots: [0, 1, 2], tables: 1 }],
      participants: [P('star'), P('x'), P('y'), P('u'), P('v')],
      requests: [
        { id: 'r1', from: 'x', to: 'star', priority: 'would_like', status: 'accepted' },
        { id: 'r2', from: 'y', to: 'star', priority: 'would_like', status: 'accepted' },
        { id: 'r3', from: 'u', to: 'v', priority: 'would_like', status: 'accepted' },
      ],
    });
    const { meetings } = schedule(input);
    const count = (id: string) => meetings.filter((m) => m.a === id || m.b === id).length;
    expect(meetings).toHaveLength(3);
    expect(['x', 'y', 'u', 'v'].map(count)).toEqual([1, 1, 1, 1]);
  });

  it('when a VIP and a regular participant compete for the last table, then the VIP meeting wins', () => {
    const input = base({
      sessions: [{ id: 's1', slots: [0], tables: 1 }],
      participants: [P('a'), P('b'), P('vip', 'company', { vip: true }), P('d')],
      requests: [
        { id: 'plain', from: 'a', to: 'b', priority: 'would_like', status: 'accepted' },
        { id: 'vip', from: 'd', to: 'vip', priority: 'would_like', status: 'accepted' },
      ],
    });
    const { meetings, report } = schedule(input);
    expect(meetings.map((m) => m.requestIds)).toEqual([['vip']]);
    expect(report.unscheduled).toEqual([expect.objectContaining({ requestId: 'plain', reason: 'no_table' })]);
  });

  it('when a pinned meeting became infeasible, then it is dropped and reported instead of breaking a constraint', () => {
    const input = base({
      participants: [P('a', 'company', { availability: { s1: [1] } }), P('b')],
      pinned: [{ meetingId: 'm1', a: 'a', b: 'b', sessionId: 's1', slot: 0, table: 1 }],
    });
    const { meetings, report } = schedule(input);
    expect(report.droppedPinned).toEqual([expect.objectContaining({ reason: 'participant_unavailable' })]);
    expect(findViolations(input, meetings)).toEqual([]);
  });
});
