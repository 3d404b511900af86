import { dlqTopic, TOPIC_CONFIG } from '@lm/contracts';
import type { Kafka } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  partitions?: number;
  /** Also create `<topic>.dlq`. Default true. */
  withDlq?: boolean;
  /** e.g. { 'cleanup.policy': 'compact' }; default: the contracts' TOPIC_CONFIG for the topic. */
  config?: Record<string, string>;
}

/** Creates missing topics (and their DLQ twins); existing topics are left as they are. */
export async function ensureTopics(kafka: Kafka, specs: TopicSpec[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = specs.flatMap((s) => {
      const main = {
        topic: s.topic,
        numPartitions: s.partitions ?? 3,
        replicationFactor: 1,
        configEntries: Object.entries(s.config ?? TOPIC_CONFIG[s.topic] ?? {}).map(([name, value]) => ({ name, value })),
      };
      const dlq = { topic: dlqTopic(s.topic), numPartitions: 1, replicationFactor: 1, configEntries: [] };
      return s.withDlq === false ? [main] : [main, dlq];
    });
    const missing = wanted.filter((t) => !existing.has(t.topic));
    if (missing.length) await admin.createTopics({ topics: missing, waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}
