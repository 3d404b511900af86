import type { ConsumerOptions, EventProducer } from '@lm/kafka';
import type { Logger } from '@lm/logger';
import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { z } from 'zod';

/** What main (or a test) gives each of matching's consumers. */
export type MatchingConsumerOptions = { kafka: Kafka; groupId: string; topic: string; producer: EventProducer; logger: Logger; metrics?: Registry } & Pick<
  ConsumerOptions<z.ZodType>,
  'onDown' | 'engineCheck' | 'chunkSize' | 'maxWaitTimeInMs' | 'minBytes' | 'lagIntervalMs' | 'sessionTimeoutMs'
>;
