import fc from 'fast-check';
import { scheduleGreedy, SchedulerInput, SchedPinned } from '../src/domain/scheduler';

const TYPES = ['company', 'research_centre', 'investor'];

/** Random but well-formed instances: small enough to run hundreds, varied enough to hit every constraint. */
export const instanceArb = fc
  .record({
    sessions: fc.array(fc.record({ slots: fc.integer({ min: 1, max: 6 }), tables: fc.integer({ min: 1, max: 4 }), breakAt: fc.integer({ min: -1, max: 5 }) }), {
      minLength: 1,
      maxLength: 2,
    }),
    participants: fc.array(
      fc.record({
        type: fc.constantFrom(...TYPES),
        vip: fc.boolean(),
        unavailable: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }),
        capTotal: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
      }),
      { minLength: 2, maxLength: 14 },
    ),
    requests: fc.array(
      fc.record({
        from: fc.nat(),
        to: fc.nat(),
        priority: fc.constantFrom('must_meet' as const, 'would_like' as const),
        status: fc.constantFrom('accepted' as const, 'pending' as const, 'declined' as const, 'expired' as const),
      }),
      { maxLength: 40 },
    ),
    suggestions: fc.array(fc.record({ a: fc.nat(), b: fc.nat(), score: fc.double({ min: 0, max: 1, noNaN: true }) }), { maxLength: 30 }),
    rules: fc.option(
      fc.constantFrom<[string, string][]>(
        [
          ['company', 'research_centre'],
          ['company', 'investor'],
        ],
        [
          ['company', 'company'],
          ['company', 'investor'],
        ],
      ),
      { nil: null },
    ),
    capPerSession: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    pinCount: fc.integer({ min: 0, max: 3 }),
    seed: fc.integer({ min: 1, max: 1_000_000 }),
  })
  .map((r): SchedulerInput => {
    const sessions = r.sessions.map((s, i) => ({
      id: `s${i}`,
      slots: Array.from({ length: s.slots }, (_, k) => k).filter((k) => k !== s.breakAt),
      tables: s.tables,
    }));
    const ids = r.participants.map((_, i) => `p${i}`);
    const participants = r.participants.map((p, i) => ({
      id: ids[i]!,
      type: p.type,
      vip: p.vip,
      availability: { s0: sessions[0]!.slots.filter((k) => !p.unavailable.includes(k)) },
      ...(p.capTotal !== undefined ? { capTotal: p.capTotal } : {}),
    }));
    const pick = (n: number) => ids[n % ids.length]!;
    const requests = r.requests.map((q, i) => ({ id: `r${i}`, from: pick(q.from), to: pick(q.to), priority: q.priority, status: q.status }));
    const suggestions = r.suggestions.map((s) => ({ a: pick(s.a), b: pick(s.b), score: s.score }));
    return {
      sessions,
      participants,
      requests,
      suggestions,
      allowedTypePairs: r.rules,
      caps: { perSession: r.capPerSession },
      pinned: [],
      options: { seed: r.seed, maxIterations: 150, timeBudgetMs: 60_000 },
    };
  });

/** Pins taken from a feasible (greedy) schedule of the same instance, so they are valid to keep. */
export function withPins(input: SchedulerInput, count: number): SchedulerInput {
  const pins: SchedPinned[] = scheduleGreedy(input)
    .meetings.slice(0, count)
    .map((m, i) => ({ meetingId: `m${i}`, a: m.a, b: m.b, sessionId: m.sessionId, slot: m.slot, table: m.table }));
  return { ...input, pinned: pins };
}
