import { schedule, scheduleGreedy } from '../domain/scheduler';
import { createHighsLpSolver } from '../workers/highs.lp-solver';
import { benchInstance } from './bench-instance';

/**
 * npm run bench -w services/events
 * 1,000 participants, 5,000 requests, 2 sessions × 10 slots × 100 tables; the optimiser
 * (time-bounded, BENCH_BUDGET_MS, default 20 s) beside greedy first-fit measured in the same run.
 * The optimised run's upper bound is the tighter of the combinatorial one and the LP relaxation
 * (HiGHS, BENCH_BOUND_BUDGET_MS, default 2 s); greedy reports the combinatorial one only.
 */
const budgetMs = Number(process.env.BENCH_BUDGET_MS ?? 20_000);
const seed = Number(process.env.BENCH_SEED ?? 42);
const input = benchInstance({ participants: 1000, requests: 5000, suggestionsPerParticipant: 3, sessions: 2, slotsPerSession: 10, tables: 100 }, seed);

async function main() {
  const boundBudgetMs = Number(process.env.BENCH_BOUND_BUDGET_MS ?? 2_000);
  const lpSolver = await createHighsLpSolver();
  const t0 = Date.now();
  const greedy = scheduleGreedy({ ...input, options: { ...input.options, boundBudgetMs: 0 } });
  const greedyMs = Date.now() - t0;
  const opt = schedule({
    ...input,
    options: {
      seed,
      timeBudgetMs: budgetMs,
      lpSolver,
      boundBudgetMs,
      onProgress: (p) => console.error(`[progress] ${p.phase} objective=${p.objective.toFixed(1)} iterations=${p.iterations} elapsed=${p.elapsedMs}ms`),
    },
  });
  const g = greedy.report;
  const o = opt.report;
  const row = (name: string, go: string | number, oo: string | number, ratio = '') =>
    console.log(`| ${name.padEnd(34)} | ${String(go).padStart(12)} | ${String(oo).padStart(12)} | ${ratio.padStart(8)} |`);
  const ratio = (a: number, b: number) => (b ? (a / b).toFixed(3) : '-');
  console.log(
    `\nScheduler bench: ${input.participants.length} participants, ${input.requests.length} requests, ${input.suggestions.length} suggestions, ${input.sessions.length} sessions × 10 slots × 100 tables (seed ${seed}, budget ${budgetMs} ms)\n`,
  );
  console.log(`| ${'metric'.padEnd(34)} | ${'greedy'.padStart(12)} | ${'optimised'.padStart(12)} | ${'opt/gr'.padStart(8)} |`);
  console.log(`|${'-'.repeat(36)}|${'-'.repeat(14)}|${'-'.repeat(14)}|${'-'.repeat(10)}|`);
  row('objective', g.objective, o.objective, ratio(o.objective, g.objective));
  row('upper bound', g.upperBound, o.upperBound);
  row('bound method', g.bound.method, o.bound.method);
  row('combinatorial bound', g.bound.combinatorial, o.bound.combinatorial);
  row('LP bound', g.bound.lp?.value?.toFixed(2) ?? '-', o.bound.lp?.value?.toFixed(2) ?? '-');
  row('LP status / ms', `${g.bound.lp?.status ?? '-'} ${g.bound.lp?.ms ?? ''}`, `${o.bound.lp?.status ?? '-'} ${o.bound.lp?.ms ?? ''}`);
  row('% of upper bound', g.percentOfBound, o.percentOfBound, ratio(o.percentOfBound, g.percentOfBound));
  row("% of the optimised run's bound", ((100 * g.objective) / o.upperBound).toFixed(2), ((100 * o.objective) / o.upperBound).toFixed(2));
  row('meetings', g.meetings, o.meetings, ratio(o.meetings, g.meetings));
  row('meetings/participant min', g.meetingsPerParticipant.min, o.meetingsPerParticipant.min);
  row('meetings/participant median', g.meetingsPerParticipant.median, o.meetingsPerParticipant.median);
  row('meetings/participant max', g.meetingsPerParticipant.max, o.meetingsPerParticipant.max);
  row(`participants below target (2)`, g.meetingsPerParticipant.belowTarget, o.meetingsPerParticipant.belowTarget);
  row('unscheduled requests', g.unscheduled.length, o.unscheduled.length);
  const mustMeet = (r: typeof g) => r.unscheduled.filter((u) => u.priority === 'must_meet' && u.reason !== 'declined' && u.reason !== 'expired').length;
  row('unscheduled live must-meet requests', mustMeet(g), mustMeet(o));
  row('runtime ms', greedyMs, o.runtimeMs, ratio(o.runtimeMs, greedyMs));
  console.log(`\noptimiser stopped by: ${o.stoppedBy} after ${o.iterations} perturbation rounds`);
  console.log('unscheduled by reason (optimised):', JSON.stringify(o.unscheduledByReason));
  console.log(`LP relaxation: ${o.bound.lp?.columns ?? 0} columns × ${o.bound.lp?.rows ?? 0} rows, budget ${boundBudgetMs} ms`);
}

void main();
