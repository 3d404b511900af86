import type { Logger } from '@lm/logger';
import { Kafka, KafkaConfig, logLevel } from 'kafkajs';

export interface KafkaOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** Connection attempts before an operation fails (kafkajs `retry.retries`). */
  retries?: number;
  connectionTimeoutMs?: number;
}

/** kafkajs logs through pino, so broker chatter is JSON like everything else. */
function pinoLogCreator(logger: Logger): KafkaConfig['logCreator'] {
  return () =>
    ({ level, log }) => {
      const { message, ...extra } = log;
      const child = { component: 'kafkajs', namespace: log.namespace, ...extra };
      if (level === logLevel.ERROR) logger.error(child, message);
      else if (level === logLevel.WARN) logger.warn(child, message);
      else if (level === logLevel.INFO) logger.debug(child, message);
      else logger.trace(child, message);
    };
}

export function createKafka(opts: KafkaOptions): Kafka {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  return new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    connectionTimeout: opts.connectionTimeoutMs ?? 3_000,
    requestTimeout: 30_000,
    logLevel: logLevel.INFO,
    logCreator: pinoLogCreator(opts.logger),
    retry: { retries: opts.retries ?? 5, initialRetryTime: 300, maxRetryTime: 5_000 },
  });
}

/**
 * Readiness: asks the cluster for its metadata through a lazily connected admin client.
 * A down broker rejects (within kafkajs' retry budget), so /readyz reports it.
 */
export function kafkaReadiness(kafka: Kafka): { check: () => Promise<void>; close: () => Promise<void> } {
  let admin: ReturnType<Kafka['admin']> | undefined;
  return {
    async check() {
      if (!admin) {
        admin = kafka.admin({ retry: { retries: 0 } });
        await admin.connect().catch((e: unknown) => {
          admin = undefined;
          throw e;
        });
      }
      await admin.describeCluster();
    },
    async close() {
      await admin?.disconnect();
    },
  };
}
