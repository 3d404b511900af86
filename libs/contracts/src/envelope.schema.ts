import { randomUUID } from 'crypto';
import { z } from './zod';

/**
 * Every Kafka message is one envelope. `version` is the version of the event's *schema*
 * (consumers refuse versions they do not know); `key` equals the Kafka message key.
 */
export const EnvelopeBase = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  version: z.number().int().positive(),
  occurredAt: z.string().datetime({ offset: true }),
  source: z.string().min(1),
  key: z.string().min(1),
  data: z.unknown(),
});
export type EnvelopeBase = z.infer<typeof EnvelopeBase>;

export function envelopeSchema<T extends string, D extends z.ZodType>(type: T, data: D, version = 1) {
  return EnvelopeBase.extend({ type: z.literal(type), version: z.literal(version), data });
}

export interface Envelope<T extends string = string, D = unknown> {
  id: string;
  type: T;
  version: number;
  occurredAt: string;
  source: string;
  key: string;
  data: D;
}

export function makeEnvelope<T extends string, D>(input: {
  type: T;
  key: string;
  data: D;
  source: string;
  version?: number;
  id?: string;
  occurredAt?: Date | string;
}): Envelope<T, D> {
  const occurredAt = input.occurredAt ?? new Date();
  return {
    id: input.id ?? randomUUID(),
    type: input.type,
    version: input.version ?? 1,
    occurredAt: typeof occurredAt === 'string' ? occurredAt : occurredAt.toISOString(),
    source: input.source,
    key: input.key,
    data: input.data,
  };
}
