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

type Message = Parameters<Producer['send']>[0]['messages'][number];

/**
 * The broker refuses a record batch over `message.max.bytes` (1 MiB by default) with
 * MESSAGE_TOO_LARGE, and kafkajs puts everything one `send` holds for a partition into one
 * batch: a few dozen top-N messages of ~35 KB each already exceed it. So one `publish` is sent
 * as consecutive requests of at most this many bytes (in order: one request in flight).
 */
export const MAX_REQUEST_BYTES = 512 * 1024;
/** A single message this large can never be sent (the broker's default limit, with headroom for the batch header). */
export const MAX_MESSAGE_BYTES = 1024 * 1024 - 1024;

function sizeOf(m: Message): number {
  const bytes = (v: string | Buffer | null | undefined) => (v == null ? 0 : typeof v === 'string' ? Buffer.byteLength(v) : v.length);
  let headers = 0;
  for (const [k, v] of Object.entries(m.headers ?? {}))
    headers += k.length + (Array.isArray(v) ? v.reduce((n, x) => n + bytes(x), 0) : bytes(v as string | Buffer));
  return bytes(m.key) + bytes(m.value) + headers + 64;
}

/** Consecutive slices of `messages`, each at most `maxBytes` (a larger single message alone). */
export function requestsOf<M extends Message>(messages: M[], maxBytes = MAX_REQUEST_BYTES): M[][] {
  const out: M[][] = [];
  let current: M[] = [];
  let size = 0;
  for (const m of messages) {
    const n = sizeOf(m);
    if (current.length && size + n > maxBytes) {
      out.push(current);
      [current, size] = [[], 0];
    }
    current.push(m);
    size += n;
  }
  if (current.length) out.push(current);
  return out;
}

function tooLarge(messages: Message[]): AppError | undefined {
  const big = messages.find((m) => sizeOf(m) > MAX_MESSAGE_BYTES);
  return big
    ? new AppError('payload_too_large', `a Kafka message of ${sizeOf(big)} bytes exceeds the broker's limit of ${MAX_MESSAGE_BYTES}`, { retriable: false })
    : undefined;
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
  const send = async (topic: string, messages: Message[]) => {
    // Never sendable: not an outage to wait out (the caller dead-letters or reports it).
    const refused = tooLarge(messages);
    if (refused) throw refused;
    await connect();
    for (const request of requestsOf(messages)) {
      try {
        await producer.send({ topic, messages: request, acks: -1, compression: CompressionTypes.None });
      } catch (e) {
        throw AppError.unavailable('kafka', e);
      }
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
