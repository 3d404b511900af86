/** Kafka topics. Each has a `<topic>.dlq` dead-letter twin for poison messages. */
export const TOPICS = {
  organisations: 'profiles.organisations.v1',
  suggestions: 'matching.suggestions.v1',
  meetings: 'events.meetings.v1',
} as const;
export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

export function dlqTopic(topic: string): string {
  return `${topic}.dlq`;
}
