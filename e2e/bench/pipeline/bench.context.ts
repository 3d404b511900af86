import type { EventProducer } from '@lm/kafka';
import type { Admin, Kafka } from 'kafkajs';
import type { Client, System, SystemNames } from '../../test/support/system';
import type { BenchOptions } from './bench.options';
import type { KafkaProgress } from './kafka.progress';
import type { Report } from './report';

/** What every phase works with: the running system, its HTTP clients, the Kafka admin and producer, the report. */
export interface BenchContext {
  system: System;
  names: SystemNames;
  /** Both with a hub_staff token. */
  profiles: Client;
  matching: Client;
  kafka: Kafka;
  admin: Admin;
  producer: EventProducer;
  progress: KafkaProgress;
  report: Report;
  options: BenchOptions;
  /** Deleted at the very end, not when their phase is done (see rawProduce). */
  scratchTopics: string[];
}
