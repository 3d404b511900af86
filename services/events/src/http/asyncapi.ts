import { buildAsyncApi, MEETING_EVENT_SCHEMAS } from '@lm/contracts';

/** The AsyncAPI document of the topic this instance publishes to (MEETINGS_TOPIC). */
export function buildAsyncApiDocument(topic: string): unknown {
  return buildAsyncApi({ title: 'Events service', version: '1.0.0', description: 'Meeting lifecycle events of B2B brokerage events.' }, [
    {
      topic,
      description: 'Meeting requests, schedule changes, attendance and feedback of brokerage events.',
      key: 'event id',
      messages: MEETING_EVENT_SCHEMAS,
    },
  ]);
}
