import type { mongo } from 'mongoose';

/**
 * The writes of this process to one database, sent at most `concurrency` at a time, in the
 * order they were asked for. Why: FerretDB keeps each database in one SQLite file, which has one
 * writer; concurrent writers wait in SQLite's busy handler, which polls with growing sleeps
 * (1, 2, 5, 10, 15, 20, 25 … ms), so a write that lost the race a few times sleeps far longer
 * than the writes ahead of it take (~1–3 ms each), and a newcomer may overtake it. Queued here,
 * a write waits exactly for the writes ahead of it. Other processes still meet in the busy
 * handler (it stays the correctness mechanism); this only schedules this process's own writes.
 */
export interface WriteQueue {
  run<T>(op: () => Promise<T>): Promise<T>;
  /** Writes waiting for a turn (not counting those in flight). */
  waiting(): number;
}

export function createWriteQueue(concurrency = 1): WriteQueue {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`write concurrency must be a positive integer, got ${concurrency}`);
  let running = 0;
  const queue: (() => void)[] = [];
  return {
    async run(op) {
      if (running < concurrency) running++;
      else await new Promise<void>((turn) => queue.push(turn));
      try {
        return await op();
      } finally {
        // The slot passes to the next waiter as it is (FIFO); only an idle queue frees it.
        const next = queue.shift();
        if (next) next();
        else running--;
      }
    },
    waiting: () => queue.length,
  };
}

/** The driver's statements that write (each one is one statement queued as a whole). */
const WRITE_METHODS = new Set([
  'insertOne',
  'insertMany',
  'updateOne',
  'updateMany',
  'replaceOne',
  'deleteOne',
  'deleteMany',
  'bulkWrite',
  'findOneAndUpdate',
  'findOneAndReplace',
  'findOneAndDelete',
]);

/**
 * `col` whose write statements go through `queue` (reads go straight to the engine: SQLite's
 * WAL lets them run beside the writer). The same queue must serve every collection of one
 * database — that is what shares the file's writer.
 */
export function queuedWrites<D extends mongo.Document>(col: mongo.Collection<D>, queue: WriteQueue): mongo.Collection<D> {
  return new Proxy(col, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (typeof prop === 'string' && WRITE_METHODS.has(prop)) return (...args: unknown[]) => queue.run(async () => method.apply(target, args));
      return method.bind(target);
    },
  });
}
