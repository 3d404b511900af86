import { AppError } from '@lm/errors';
import { existsSync } from 'fs';
import path from 'path';
import { Worker } from 'worker_threads';
import type { ProgressInfo, ScheduleResult, SchedulerInput } from '../domain/scheduler';
import type { ScheduleRunner, ScheduleRunStatus } from '../domain/events.ports';

export interface WorkerRunnerOptions {
  /** Runs computed at once; more wait their turn (each holds one CPU core). */
  concurrency: number;
  /** A worker still busy this long after its time budget is stopped (a bug, not a slow run). */
  graceMs?: number;
  /** Budget of the LP upper bound of a run that names none (`SCHEDULE_BOUND_BUDGET_MS`, default 2000; 0 skips the LP). */
  boundBudgetMs?: number;
}

/**
 * The worker's entry: the compiled `.js` next to this file, or — when the service runs from its
 * TypeScript sources (tests) — the `.ts` file loaded through tsx in the worker.
 */
function spawn(input: SchedulerInput): Worker {
  const js = path.join(__dirname, 'schedule.worker.js');
  if (existsSync(js)) return new Worker(js, { workerData: { input } });
  const ts = path.join(__dirname, 'schedule.worker.ts');
  const loader = require.resolve('tsx/cjs/api');
  return new Worker(`require(${JSON.stringify(loader)}).register(); require(${JSON.stringify(ts)});`, { eval: true, workerData: { input } });
}

/**
 * Computes schedules in worker threads so the service keeps answering while a run takes its
 * budget; tracks each event's run (queued → running with the optimiser's progress) for
 * `GET /events/{id}/schedule/run`.
 */
export function createWorkerScheduleRunner(opts: WorkerRunnerOptions): ScheduleRunner & { close(): Promise<void> } {
  const runs = new Map<string, ScheduleRunStatus>();
  const live = new Set<Worker>();
  const waiting: (() => void)[] = [];
  let active = 0;

  const acquire = () =>
    active < opts.concurrency ? Promise.resolve(void active++) : new Promise<void>((resolve) => waiting.push(() => resolve(void active++)));
  const release = () => {
    active--;
    waiting.shift()?.();
  };

  function compute(input: SchedulerInput, status: ScheduleRunStatus, onProgress?: (p: ProgressInfo) => void): Promise<ScheduleResult> {
    return new Promise((resolve, reject) => {
      const boundBudgetMs = input.options?.boundBudgetMs ?? opts.boundBudgetMs ?? 2_000;
      const worker = spawn({ ...input, options: { ...input.options, boundBudgetMs, onProgress: undefined } });
      live.add(worker);
      const budget = (input.options?.timeBudgetMs ?? 2_000) + boundBudgetMs;
      const watchdog = setTimeout(() => void worker.terminate(), budget + (opts.graceMs ?? 30_000));
      watchdog.unref();
      let result: ScheduleResult | undefined;
      worker.on('message', (m: { type: 'progress'; progress: ProgressInfo } | { type: 'done'; result: ScheduleResult }) => {
        if (m.type === 'progress') {
          Object.assign(status, { state: 'running', progress: m.progress });
          onProgress?.(m.progress);
        } else result = m.result;
      });
      worker.on('error', (e) => reject(new AppError('internal', 'schedule computation failed', { cause: e })));
      worker.on('exit', (code) => {
        clearTimeout(watchdog);
        live.delete(worker);
        if (result) resolve(result);
        else reject(new AppError('internal', `schedule computation stopped (exit ${code})`));
      });
    });
  }

  return {
    async run(eventId, input, onProgress) {
      const status: ScheduleRunStatus = { eventId, state: 'queued', startedAt: new Date().toISOString(), budgetMs: input.options?.timeBudgetMs ?? 2_000 };
      runs.set(eventId, status);
      await acquire();
      try {
        status.state = 'running';
        return await compute(input, status, onProgress);
      } finally {
        release();
        if (runs.get(eventId) === status) runs.delete(eventId);
      }
    },
    status(eventId) {
      const s = runs.get(eventId);
      return s && { ...s };
    },
    async close() {
      await Promise.all([...live].map((w) => w.terminate()));
    },
  };
}
