import { makeEnvelope, type MatchEvent } from '@lm/contracts';
import { applyEvent, currentSuggestions, emptyState } from '../src/suggestions.state';

const ref = (candidateId: string) => ({ matchId: `c~${candidateId}`, candidateId, candidateKind: 'investor' as const, candidateName: candidateId });
const explanation = { parts: {} as never, matchedS3Areas: [], matchedSpecialties: [], matchedTerms: [], summary: 'why', lang: 'en' as const };
const item = (candidateId: string, rank: number, score: number) => ({ ...ref(candidateId), rank, score, explanation });
const changed = (changes: object[], topN: object[]) =>
  makeEnvelope({
    type: 'match.suggestions.changed',
    key: 'c',
    source: 't',
    data: { companyId: 'c', weightsVersion: 'v', changes, topN },
  }) as unknown as MatchEvent;
const decided = (candidateId: string, decision: 'accepted' | 'declined') =>
  makeEnvelope({
    type: `match.${decision}`,
    key: `c~${candidateId}`,
    source: 't',
    data: { ...ref(candidateId), companyId: 'c', decision, decidedBy: 'u' },
  }) as unknown as MatchEvent;

describe('partner state from match events', () => {
  it('when changes, decisions and a withdrawal arrive, then the current suggestions follow the latest top-N (twice = once)', () => {
    const state = emptyState();
    const events = [
      changed(
        [
          { type: 'suggested', ...ref('a'), rank: 1, score: 5 },
          { type: 'suggested', ...ref('b'), rank: 2, score: 4 },
        ],
        [item('a', 1, 5), item('b', 2, 4)],
      ),
      decided('b', 'accepted'),
      changed([{ type: 'updated', ...ref('b'), rank: 1, score: 6, previous: { rank: 2, score: 4 } }], [item('b', 1, 6), item('a', 2, 5)]),
      decided('a', 'declined'),
      changed([{ type: 'withdrawn', ...ref('a'), reason: 'declined' }], [item('b', 1, 6)]),
    ];
    for (const e of [...events, ...events]) applyEvent(state, e);
    expect(currentSuggestions(state, 'c').map((s) => [s.candidateId, s.rank, s.score, s.feedback])).toEqual([['b', 1, 6, 'accepted']]);
    expect(state.feedback['c~a']).toBe('declined');
  });

  it('when only the latest message per company is left (compaction), then it alone rebuilds the company', () => {
    const state = emptyState();
    applyEvent(state, changed([{ type: 'withdrawn', ...ref('a'), reason: 'left_top_n' }], [item('b', 1, 6), item('c', 2, 3)]));
    expect(currentSuggestions(state, 'c').map((s) => s.candidateId)).toEqual(['b', 'c']);
    applyEvent(
      state,
      changed(
        [
          { type: 'withdrawn', ...ref('b'), reason: 'company_deleted' },
          { type: 'withdrawn', ...ref('c'), reason: 'company_deleted' },
        ],
        [],
      ),
    );
    expect(state.companies).toEqual({});
  });
});
