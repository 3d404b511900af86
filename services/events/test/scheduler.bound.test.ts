import fc from 'fast-check';
import { benchInstance } from '../src/bench/bench-instance';
import { schedule, scheduleGreedy, type LinearProgram, type LpSolver } from '../src/domain/scheduler';
import { dualBound } from '../src/domain/scheduler/lp.bound';
import { createHighsLpSolver } from '../src/workers/highs.lp-solver';
import { instanceArb, withPins } from './scheduler.arbitraries';

/**
 * The reported upper bound: the tighter of the combinatorial bound and the LP relaxation
 * (HiGHS), never below a schedule the scheduler can find, and tight on the bench instance.
 */
let highs: LpSolver;

beforeAll(async () => {
  highs = await createHighsLpSolver();
});

describe('LP upper bound', () => {
  it('when random instances (pins included) are scheduled with the LP bound, then the bound is at least every schedule found and never above the combinatorial one', () => {
    fc.assert(
      fc.property(instanceArb, fc.integer({ min: 0, max: 3 }), (base, pins) => {
        const input = withPins(base, pins);
        const options = { ...input.options, lpSolver: highs, boundBudgetMs: 10_000 };
        const runs = [
          schedule({ ...input, options }),
          schedule({ ...input, options: { ...options, seed: (options.seed ?? 1) + 1 } }),
          scheduleGreedy({ ...input, options }),
        ];
        for (const { report } of runs) {
          expect(report.upperBound).toBeGreaterThanOrEqual(report.objective);
          expect(report.upperBound).toBeLessThanOrEqual(report.bound.combinatorial);
          expect(report.bound.lp?.status).toBe('optimal');
          // Every bound computed is a bound on every schedule found, not only on its own run's.
          for (const other of runs) expect(report.bound.lp!.value!).toBeGreaterThanOrEqual(other.report.objective - 1e-6);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('when the bench instance (1,000 participants, 5,000 requests, 20 slots × 100 tables) is scheduled, then the LP bound is used, is at least the schedule and within 0.5 % of it', () => {
    const input = benchInstance({ participants: 1000, requests: 5000, suggestionsPerParticipant: 3, sessions: 2, slotsPerSession: 10, tables: 100 }, 42);
    // An iteration budget (not a clock) makes the schedule the same on any machine; the LP gets all the time it needs here.
    const options = { seed: 42, maxIterations: 0, timeBudgetMs: 300_000, lpSolver: highs, boundBudgetMs: 300_000 };
    const { report } = schedule({ ...input, options });
    expect(report.bound.method).toBe('lp');
    expect(report.bound.lp?.status).toBe('optimal');
    expect(report.upperBound).toBeGreaterThanOrEqual(report.objective);
    expect(report.upperBound).toBeLessThanOrEqual(report.objective * 1.005);
    expect(report.upperBound).toBeLessThan(report.bound.combinatorial);
    expect(scheduleGreedy({ ...input, options: { ...options, boundBudgetMs: 0 } }).report.objective).toBeLessThanOrEqual(report.upperBound);
  }, 300_000);

  it('when the LP solver fails, then the run still completes and reports the combinatorial bound', () => {
    const input = fc.sample(instanceArb, { numRuns: 1, seed: 7 })[0]!;
    const failing: LpSolver = () => {
      throw new Error('wasm unavailable');
    };
    const { report } = schedule({ ...input, options: { ...input.options, lpSolver: failing } });
    expect(report.bound).toMatchObject({ method: 'combinatorial', lp: { status: 'error' } });
    expect(report.upperBound).toBe(report.bound.combinatorial);
    expect(schedule({ ...input, options: { ...input.options, lpSolver: highs, boundBudgetMs: 0 } }).report.bound.lp).toBeUndefined();
  });
});

describe('dual bound', () => {
  // max x1 + x2 subject to x1 + x2 ≤ 1, 0 ≤ x ≤ 1: optimum 1.
  const lp: LinearProgram = {
    numCols: 2,
    numRows: 1,
    colCost: Float64Array.from([1, 1]),
    colUpper: Float64Array.from([1, 1]),
    rowUpper: Float64Array.from([1]),
    colStarts: Int32Array.from([0, 1, 2]),
    rowIndex: Int32Array.from([0, 0]),
    values: Float64Array.from([1, 1]),
  };

  it('when the duals are optimal, then the bound is the LP optimum; when they are not, then it is weaker but still a bound', () => {
    expect(dualBound(lp, [1])).toBe(1);
    expect(dualBound(lp, [0.5])).toBe(1.5);
    expect(dualBound(lp, [0])).toBe(2);
  });

  it('when a solver reports the duals with the opposite sign, then the bound is the same', () => {
    expect(dualBound(lp, [-1])).toBe(1);
  });
});
