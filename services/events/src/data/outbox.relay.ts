import type { Envelope } from '@lm/contracts';
import type { EventProducer } from '@lm/kafka';
import type { Logger } from '@lm/logger';
import { withBusyRetry } from '@lm/mongo';
import type { Connection } from 'mongoose';
import { createEventsLocks, documentBusy, documentLockKey } from './document.locks';

export interface OutboxRelay {
  start(): void;
  /** Run a round soon (after a write). */
  kick(): void;
  /** One full round now; resolves when everything pending was published. */
  flush(): Promise<number>;
  stop(): Promise<void>;
}

type OutboxDoc = { _id: string; outbox?: Envelope[] };

/**
 * Publishes envelopes parked in documents' `outbox` arrays, then clears them. A crash
 * between publish and clear re-publishes (at-least-once; consumers dedupe by envelope id).
 * The clear only applies when no newer envelope was appended meanwhile, so none is lost; it
 * runs under the document's lock (the same one use-case updates take) because on FerretDB that
 * filter is otherwise checked without excluding a concurrent append.
 */
export function createOutboxRelay(opts: { conn: Connection; collections: string[]; producer: EventProducer; topic: string; logger: Logger; intervalMs?: number }): OutboxRelay {
  const log = opts.logger.child({ component: 'outbox-relay' });
  const locks = createEventsLocks(opts.conn);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let again = false;
  let stopped = false;

  async function round(): Promise<number> {
    let published = 0;
    for (const name of opts.collections) {
      const coll = opts.conn.db!.collection<OutboxDoc>(name);
      const docs = await coll.find({ 'outbox.0': { $exists: true } }).limit(200).toArray();
      for (const d of docs) {
        const batch = d.outbox ?? [];
        await opts.producer.publish(opts.topic, batch);
        const clear = () => coll.updateOne({ _id: d._id, [`outbox.${batch.length}`]: { $exists: false } }, { $set: { outbox: [] } });
        await locks.withLock(documentLockKey(name, d._id), () => withBusyRetry(clear), documentBusy(name, d._id));
        published += batch.length;
      }
    }
    if (published) log.debug({ published }, 'outbox relayed');
    return published;
  }

  const run = (): Promise<number> => {
    if (running) {
      again = true;
      return running;
    }
    running = round()
      .catch((e: unknown) => {
        log.warn({ err: e instanceof Error ? e.message : String(e) }, 'outbox round failed, will retry');
        return 0;
      })
      .finally(() => {
        running = undefined;
        if (again && !stopped) {
          again = false;
          void run();
        }
      });
    return running;
  };

  return {
    start() {
      const tick = () => {
        if (stopped) return;
        void run().finally(() => {
          if (!stopped) timer = setTimeout(tick, opts.intervalMs ?? 500);
        });
      };
      tick();
    },
    kick() {
      if (!stopped) setImmediate(() => void run());
    },
    async flush() {
      if (running) await running;
      return run();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (running) await running;
    },
  };
}
