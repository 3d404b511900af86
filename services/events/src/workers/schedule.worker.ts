import { parentPort, workerData } from 'worker_threads';
import { schedule, type LpSolver, type SchedulerInput } from '../domain/scheduler';
import { createHighsLpSolver } from './highs.lp-solver';

/**
 * One schedule computation, off the service's event loop (a run may take up to 120 s of CPU).
 * Progress and the result go back to the runner as messages; a throw ends the worker with an error.
 * The LP solver (HiGHS, WebAssembly) tightens the reported upper bound; if it cannot be loaded the
 * run still completes with the combinatorial bound.
 */
const { input } = workerData as { input: SchedulerInput };

async function run() {
  const lpSolver: LpSolver | undefined = await createHighsLpSolver().catch(() => undefined);
  const result = schedule({
    ...input,
    options: { ...input.options, lpSolver, onProgress: (progress) => parentPort!.postMessage({ type: 'progress', progress }) },
  });
  parentPort!.postMessage({ type: 'done', result });
}

void run();
