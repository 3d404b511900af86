import fc from 'fast-check';
import { findViolations, schedule, scheduleGreedy } from '../src/domain/scheduler';
import { instanceArb, withPins } from './scheduler.arbitraries';

const RUNS = { numRuns: 150 };

describe('scheduler (property-based)', () => {
  it('when any random instance is scheduled, then no hard constraint is ever violated', () => {
    fc.assert(
      fc.property(instanceArb, (input) => {
        const { meetings } = schedule(input);
        expect(findViolations(input, meetings)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('when compared on the same instance, then the optimised objective is never below greedy first-fit and never above the upper bound', () => {
    fc.assert(
      fc.property(instanceArb, (input) => {
        const greedy = scheduleGreedy(input).report;
        const { report } = schedule(input);
        expect(report.objective).toBeGreaterThanOrEqual(greedy.objective);
        expect(report.objective).toBeLessThanOrEqual(report.upperBound + 1e-6);
        expect(greedy.objective).toBeLessThanOrEqual(report.upperBound + 1e-6);
      }),
      RUNS,
    );
  });

  it('when published meetings are pinned, then every one of them stays at the same slot and table', () => {
    fc.assert(
      fc.property(instanceArb, fc.integer({ min: 1, max: 3 }), (base, count) => {
        const input = withPins(base, count);
        const { meetings, report } = schedule(input);
        expect(report.droppedPinned).toEqual([]);
        for (const pin of input.pinned) {
          expect(meetings).toContainEqual(
            expect.objectContaining({ meetingId: pin.meetingId, sessionId: pin.sessionId, slot: pin.slot, table: pin.table, pinned: true }),
          );
        }
        expect(findViolations(input, meetings)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('when the same instance is run twice with the same seed, then the schedules are identical', () => {
    fc.assert(
      fc.property(instanceArb, (input) => {
        const one = schedule(input);
        const two = schedule(input);
        expect(two.meetings).toEqual(one.meetings);
        expect(two.report.objective).toBe(one.report.objective);
      }),
      { numRuns: 60 },
    );
  });

  it('when a request is declined, then its pair never meets even if suggested', () => {
    fc.assert(
      fc.property(instanceArb, (input) => {
        const declined = new Set(input.requests.filter((r) => r.status === 'declined').map((r) => [r.from, r.to].sort().join('|')));
        const { meetings, report } = schedule(input);
        for (const m of meetings) expect(declined.has([m.a, m.b].sort().join('|'))).toBe(false);
        for (const u of report.unscheduled) if (declined.has([u.from, u.to].sort().join('|'))) expect(u.reason).toBe('declined');
      }),
      RUNS,
    );
  });
});
