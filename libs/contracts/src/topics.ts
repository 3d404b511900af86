/** Kafka topics. Each has a `<topic>.dlq` dead-letter twin for poison messages. */
export const TOPICS = {
  organisations: 'profiles.organisations.v1',
  suggestions: 'matching.suggestions.v2',
  meetings: 'events.meetings.v1',
} as const;
export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

export function dlqTopic(topic: string): string {
  return `${topic}.dlq`;
}

/**
 * Settings a topic must be created with, whoever creates it first. The suggestions topic is
 * compacted: the latest `match.suggestions.changed` per company is that company's state.
 */
export const TOPIC_CONFIG: Readonly<Record<string, Record<string, string>>> = {
  [TOPICS.suggestions]: { 'cleanup.policy': 'compact' },
};
