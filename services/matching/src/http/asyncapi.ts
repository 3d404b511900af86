import { buildAsyncApi, MATCH_EVENT_TYPES, MatchAccepted, MatchDeclined, MatchSuggestionsChanged } from '@lm/contracts';

/** The AsyncAPI document of the topic this instance publishes to (SUGGESTIONS_TOPIC). */
export function buildAsyncApiDocument(topic: string): unknown {
  return buildAsyncApi({ title: 'Matching service events', version: '2.0.0', description: 'Match suggestions for partner systems.' }, [
    {
      topic,
      key: 'match.suggestions.changed: company (organisation) id; match.accepted / match.declined: match id (<companyId>~<candidateId>)',
      description:
        "Compacted topic (cleanup.policy=compact). match.suggestions.changed: at most one message per company per recomputation, sent only when a candidate entered or left the company's top-N or a score moved by more than the change threshold (rank shuffles below it send nothing); it carries those changes AND the company's whole current top-N, best first, each with its explanation summary and the weights version. The latest message per company is its state: replace your copy of the company's suggestions with `topN` (an empty list means none, e.g. the company was deleted). A message with an empty `changes` list restates the state (two matching instances recomputed the company at once). Profile changes arriving together (a bulk import) are coalesced over a short window, so a burst yields a bounded number of messages per company. match.accepted / match.declined record a company's decision on one match, keyed by match id so the latest decision per match survives compaction. At-least-once: a message may arrive twice; applying it twice is harmless.",
      messages: {
        [MATCH_EVENT_TYPES.suggestionsChanged]: MatchSuggestionsChanged,
        [MATCH_EVENT_TYPES.accepted]: MatchAccepted,
        [MATCH_EVENT_TYPES.declined]: MatchDeclined,
      },
    },
  ]);
}
