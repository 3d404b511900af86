import type { Envelope } from '@lm/contracts';
import { AppError } from '@lm/errors';
import { CompressionTypes, IHeaders, Kafka, Partitioners, Producer } from 'kafkajs';

export interface EventProducer {
  connect(): Promise<void>;
  /** Publishes envelopes keyed by `envelope.key`; resolves once the broker acknowledged all of them. */
  publish(topic: string, envelopes: Envelope[]): Promise<void>;
  /** Raw send, for the dead-letter path (keeps the original bytes). */
  sendRaw(topic: string, messages: { key: string | Buffer | null; value: string | Buffer | null; headers?: IHeaders }[]): Promise<void>;
  disconnect(): Promise<void>;
}

export function toMessage(envelope: Envelope) {
  return {
    key: envelope.key,
    value: JSON.stringify(envelope),
    headers: { 'event-type': envelope.type, 'event-id': envelope.id, 'event-version': String(envelope.version) },
  };
}

/**
 * Idempotent producer (the broker drops retried duplicates), acks from all in-sync replicas,
 * one request in flight so retries never reorder messages of one key.
 */
export function createEventProducer(kafka: Kafka): EventProducer {
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  let connected: Promise<void> | undefined;
  const connect = () => {
    connected ??= producer.connect().catch((e) => {
      connected = undefined;
      throw AppError.unavailable('kafka', e);
    });
    return connected;
  };
  const send = async (topic: string, messages: Parameters<Producer['send']>[0]['messages']) => {
    await connect();
    try {
      await producer.send({ topic, messages, acks: -1, compression: CompressionTypes.None });
    } catch (e) {
      throw AppError.unavailable('kafka', e);
    }
  };
  return {
    connect,
    publish: (topic, envelopes) => (envelopes.length ? send(topic, envelopes.map(toMessage)) : Promise.resolve()),
    sendRaw: send,
    async disconnect() {
      if (connected) await producer.disconnect();
      connected = undefined;
    },
  };
}
