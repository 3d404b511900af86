import { groupLag } from '@lm/kafka';
import type { Admin } from 'kafkajs';
import type { SystemNames } from '../../test/support/system';

/** The consumer groups the bench follows, by their place in `lags()`. */
export const GROUP = { indexing: 0, topN: 1, eventsOrganisations: 2, eventsSuggestions: 3 } as const;

/** How far the run's topics and consumer groups have got, read from the Kafka admin. */
export function kafkaProgress(admin: Admin, names: SystemNames) {
  const groups = [names.groups.matching, `${names.groups.matching}-topn`, names.groups.eventsOrganisations, names.groups.eventsSuggestions];
  const groupTopics: Record<string, string> = {
    [groups[GROUP.indexing]!]: names.topics.organisations,
    [groups[GROUP.topN]!]: names.topics.organisations,
    [groups[GROUP.eventsOrganisations]!]: names.topics.organisations,
    [groups[GROUP.eventsSuggestions]!]: names.topics.suggestions,
  };
  return {
    /** Each group's total lag, in `GROUP` order. */
    lags: async () => Promise.all(groups.map(async (g) => (await groupLag(admin, g, [groupTopics[g]!])).reduce((s, p) => s + p.lag, 0))),
    /** Messages ever written to `topic` (the sum of its partitions' high watermarks). */
    highWatermark: async (topic: string) => (await admin.fetchTopicOffsets(topic)).reduce((s, o) => s + Number(o.high), 0),
    lagText: (lag: number[]) => groups.map((g, i) => `${g.replace(/-[0-9a-f]+(-topn)?$/, '$1')}=${lag[i]}`).join(' '),
  };
}
export type KafkaProgress = ReturnType<typeof kafkaProgress>;
