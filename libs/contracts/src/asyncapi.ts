import { dlqTopic } from './topics';
import { z } from './zod';

export interface AsyncApiChannel {
  topic: string;
  description: string;
  /** Kafka message key, e.g. "organisation id". */
  key: string;
  /** message name (event type) → envelope schema */
  messages: Record<string, z.ZodType>;
}

function jsonSchema(schema: z.ZodType): unknown {
  return z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any', target: 'draft-7' });
}

/** AsyncAPI 3.0 document for the topics a service publishes, generated from the same zod schemas. */
export function buildAsyncApi(info: { title: string; version: string; description?: string }, channels: AsyncApiChannel[]) {
  const doc = {
    asyncapi: '3.0.0',
    info,
    defaultContentType: 'application/json',
    servers: { local: { host: '127.0.0.1:9092', protocol: 'kafka', description: 'local single-node broker (infra/)' } },
    channels: {} as Record<string, unknown>,
    operations: {} as Record<string, unknown>,
    components: { messages: {} as Record<string, unknown> },
  };
  for (const ch of channels) {
    const channelId = ch.topic.replace(/\./g, '_');
    const refs: Record<string, { $ref: string }> = {};
    for (const [name, schema] of Object.entries(ch.messages)) {
      const msgId = name.replace(/\./g, '_');
      doc.components.messages[msgId] = {
        name,
        title: name,
        bindings: { kafka: { key: { type: 'string', description: ch.key } } },
        payload: jsonSchema(schema),
      };
      refs[msgId] = { $ref: `#/components/messages/${msgId}` };
    }
    doc.channels[channelId] = {
      address: ch.topic,
      description: `${ch.description} Poison messages are copied to \`${dlqTopic(ch.topic)}\` with the error in headers.`,
      messages: refs,
    };
    doc.operations[`publish_${channelId}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${channelId}` },
      messages: Object.keys(refs).map((id) => ({ $ref: `#/channels/${channelId}/messages/${id}` })),
    };
  }
  return doc;
}
