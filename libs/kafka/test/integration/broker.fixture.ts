import { z } from '@lm/contracts';
import type { Logger } from '@lm/logger';
import { testEndpoints, uniqueName } from '@lm/testing';
import type { Kafka } from 'kafkajs';
import { createEventProducer, createKafka, runConsumer, type ConsumerOptions, type EventProducer, type RunningConsumer } from '../../src';

/** The test event of the runner's integration tests. */
export const Ping = z.object({ id: z.string(), type: z.literal('ping'), key: z.string(), data: z.object({ n: z.number().int() }) }).passthrough();

export interface Broker {
  kafka: Kafka;
  /** Connected for the whole file. */
  producer: EventProducer;
  /** The consumers a test started: stopped after each test. */
  running: RunningConsumer[];
  /**
   * A runner of `Ping`s on `topic` in a fresh group (unless `groupId` is given), on this broker's
   * client and producer; stopped after the test.
   */
  consumePings(topic: string, opts: Pick<ConsumerOptions<typeof Ping>, 'handle'> & Partial<ConsumerOptions<typeof Ping>>): Promise<RunningConsumer>;
}

/**
 * The real broker for one test file (call it inside `describe`): a client and a connected
 * producer for the file; every consumer a test pushes onto `running` is stopped after that test.
 */
export function useBroker(clientName: string, logger: Logger): Broker {
  const broker = {
    running: [] as RunningConsumer[],
    async consumePings(topic, opts) {
      const c = await runConsumer({ kafka: broker.kafka, groupId: uniqueName('g'), topics: [topic], schema: Ping, producer: broker.producer, logger, ...opts });
      broker.running.push(c);
      return c;
    },
  } as Broker;
  beforeAll(async () => {
    broker.kafka = createKafka({ brokers: testEndpoints().kafkaBrokers, clientId: uniqueName(clientName), logger });
    broker.producer = createEventProducer(broker.kafka);
    await broker.producer.connect();
  });
  afterEach(async () => {
    await Promise.all(broker.running.splice(0).map((c) => c.stop()));
  });
  afterAll(async () => {
    await broker.producer.disconnect();
  });
  return broker;
}
