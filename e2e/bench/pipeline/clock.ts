import { performance } from 'perf_hooks';

/** The bench's one clock: milliseconds, monotonic. */
export const now = () => performance.now();
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
