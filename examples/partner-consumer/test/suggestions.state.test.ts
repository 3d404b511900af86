import { makeEnvelope, type MatchEvent } from '@lm/contracts';
import { applyEvent, currentSuggestions, emptyState } from '../src/suggestions.state';

const ref = (candidateId: string) => ({ matchId: `c~${candidateId}`, companyId: 'c', candidateId, candidateKind: 'investor' as const, candidateName: candidateId });
const explanation = { parts: {} as never, matchedS3Areas: [], matchedSpecialties: [], matchedTerms: [], summary: 'why', lang: 'en' as const };
const ev = (type: string, data: object) => makeEnvelope({ type, key: 'c', source: 't', data }) as unknown as MatchEvent;

describe('partner state from match events', () => {
  it('when suggested, updated, withdrawn and declined arrive, then the current suggestions follow them (twice = once)', () => {
    const state = emptyState();
    const events = [
      ev('match.suggested', { ...ref('a'), rank: 1, score: 5, weightsVersion: 'v', explanation }),
      ev('match.suggested', { ...ref('b'), rank: 2, score: 4, weightsVersion: 'v', explanation }),
      ev('match.updated', { ...ref('b'), rank: 1, score: 6, weightsVersion: 'v', explanation, previous: { rank: 2, score: 4 } }),
      ev('match.declined', { ...ref('a'), decision: 'declined', decidedBy: 'u' }),
      ev('match.withdrawn', { ...ref('a'), reason: 'declined', weightsVersion: 'v' }),
    ];
    for (const e of [...events, ...events]) applyEvent(state, e);
    expect(currentSuggestions(state, 'c').map((s) => [s.candidateId, s.rank, s.score])).toEqual([['b', 1, 6]]);
    expect(state.feedback['c~a']).toBe('declined');
  });
});
