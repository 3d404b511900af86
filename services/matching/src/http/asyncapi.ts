import { buildAsyncApi, MATCH_EVENT_TYPES, MatchAccepted, MatchDeclined, MatchSuggested, MatchUpdated, MatchWithdrawn, TOPICS } from '@lm/contracts';

let cached: unknown;

export function buildAsyncApiDocument(): unknown {
  cached ??= buildAsyncApi({ title: 'Matching service events', version: '1.0.0', description: 'Match suggestions for partner systems.' }, [
    {
      topic: TOPICS.suggestions,
      key: 'company (organisation) id',
      description:
        "Each company's current top-N suggestions as a stream of changes. Replaying from the start rebuilds every company's current suggestions: apply match.suggested / match.updated as upserts of (companyId, candidateId), match.withdrawn as a removal; match.accepted / match.declined record feedback. At-least-once: a change may arrive twice, applying it twice is harmless. Events carry the explanation summary and the weights version.",
      messages: {
        [MATCH_EVENT_TYPES.suggested]: MatchSuggested,
        [MATCH_EVENT_TYPES.updated]: MatchUpdated,
        [MATCH_EVENT_TYPES.withdrawn]: MatchWithdrawn,
        [MATCH_EVENT_TYPES.accepted]: MatchAccepted,
        [MATCH_EVENT_TYPES.declined]: MatchDeclined,
      },
    },
  ]);
  return cached;
}
