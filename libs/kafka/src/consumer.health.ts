import type { Logger } from '@lm/logger';
import type { Gauge } from 'prom-client';
import { describeError } from './failures';

export type ConsumerState = 'starting' | 'running' | 'down' | 'stopped';

export interface ConsumerHealthOptions {
  groupId: string;
  logger: Logger;
  /** `kafka_consumer_up{group}`: 1 while a member of its group. */
  up?: Gauge<'group'>;
  /** How long the consumer may stay out of its group before `onDown` fires. */
  maxDownMs: number;
  onDown?: (error: unknown) => void;
  /** A member whose handler has failed (and been retried) this long without progress is not ready. */
  maxFailingMs: number;
}

/**
 * What readiness and `kafka_consumer_up` say about one consumer runner. It is "running" once it
 * joined its group, "down" from a crash until it makes progress again — a consumer that rejoins
 * and crashes again on the same message stays down, so `onDown` fires after `maxDownMs` of
 * that and the service can exit for its supervisor. A member whose handler keeps failing (an
 * outage retried, or an error taken for one) is in its group but not consuming: after
 * `maxFailingMs` without progress readiness says so too.
 */
export function createConsumerHealth(opts: ConsumerHealthOptions) {
  const labels = { group: opts.groupId };
  let state: ConsumerState = 'starting';
  let downSince: number | undefined;
  let lastError: unknown;
  let downTimer: NodeJS.Timeout | undefined;
  let failingSince: number | undefined;

  return {
    get state() {
      return state;
    },

    /** Joined its group: consuming again as far as readiness is concerned. */
    joined() {
      if (state === 'stopped') return;
      if (state === 'down') opts.logger.info({ downMs: Date.now() - (downSince ?? Date.now()) }, 'consumer rejoined its group');
      state = 'running';
      opts.up?.set(labels, 1);
    },

    /** Made progress (committed, or nothing left to consume): only now is the outage over. */
    progressed() {
      failingSince = undefined;
      if (state !== 'running') return;
      downSince = undefined;
      lastError = undefined;
      if (downTimer) clearTimeout(downTimer);
      downTimer = undefined;
    },

    down(error: unknown) {
      if (state === 'stopped') return;
      state = 'down';
      lastError = error;
      downSince ??= Date.now();
      opts.up?.set(labels, 0);
      downTimer ??= setTimeout(() => {
        opts.logger.fatal({ err: describeError(error), downMs: opts.maxDownMs }, 'consumer is still down, giving up');
        opts.onDown?.(error);
      }, opts.maxDownMs);
      downTimer.unref();
    },

    /** The handler failed and is retried: no progress since the first such failure. */
    failing(error: unknown) {
      failingSince ??= Date.now();
      lastError = error;
    },

    stopped() {
      state = 'stopped';
      if (downTimer) clearTimeout(downTimer);
    },

    /** Readiness: rejects unless the consumer is a consuming member of its group. */
    check() {
      const stalled = failingSince !== undefined && Date.now() - failingSince >= opts.maxFailingMs;
      if (state === 'running' && stalled)
        throw new Error(`consumer group ${opts.groupId} has not progressed since ${new Date(failingSince!).toISOString()}: ${describeError(lastError)}`);
      if (state === 'running') return;
      const since = downSince ? ` since ${new Date(downSince).toISOString()}` : '';
      throw new Error(`consumer group ${opts.groupId} is ${state}${since}${lastError ? `: ${describeError(lastError)}` : ''}`);
    },

    status() {
      return {
        state,
        ...(downSince ? { downSince: new Date(downSince).toISOString() } : {}),
        ...(failingSince ? { failingSince: new Date(failingSince).toISOString() } : {}),
        ...(lastError ? { lastError: describeError(lastError) } : {}),
      };
    },
  };
}
export type ConsumerHealth = ReturnType<typeof createConsumerHealth>;
