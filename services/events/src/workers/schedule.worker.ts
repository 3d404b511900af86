import { parentPort, workerData } from 'worker_threads';
import { schedule, type SchedulerInput } from '../domain/scheduler';

/**
 * One schedule computation, off the service's event loop (a run may take up to 120 s of CPU).
 * Progress and the result go back to the runner as messages; a throw ends the worker with an error.
 */
const { input } = workerData as { input: SchedulerInput };
const result = schedule({ ...input, options: { ...input.options, onProgress: (progress) => parentPort!.postMessage({ type: 'progress', progress }) } });
parentPort!.postMessage({ type: 'done', result });
