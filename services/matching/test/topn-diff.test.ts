import type { ExplanationSummary } from '@lm/contracts';
import { diffTopN, type TopNItem } from '../src/domain/topn/topn-diff';

const explanation: ExplanationSummary = {
  parts: {} as ExplanationSummary['parts'],
  matchedS3Areas: [],
  matchedSpecialties: [],
  matchedTerms: [],
  summary: 's',
  lang: 'en',
};
const item = (candidateId: string, rank: number, score: number): TopNItem => ({
  candidateId,
  candidateKind: 'research_centre',
  candidateName: candidateId,
  rank,
  score,
  explanation,
});

describe('top-N diff', () => {
  it('when a candidate enters the top-N, then it is suggested and the whole fresh top-N becomes the published state', () => {
    const { changes, stored } = diffTopN([item('a', 1, 5)], [item('b', 1, 6), item('a', 2, 5)], { scoreThreshold: 0.1 });
    expect(changes.map((c) => [c.type, c.item.candidateId])).toEqual([['suggested', 'b']]);
    expect(stored).toEqual([item('b', 1, 6), item('a', 2, 5)]);
  });

  it('when ranks swap but no score moves past the threshold, then nothing is published and the published state stays', () => {
    const prev = [item('a', 1, 5), item('b', 2, 4.9)];
    const { changes, stored } = diffTopN(prev, [item('b', 1, 5.1), item('a', 2, 5)], { scoreThreshold: 0.1 });
    expect(changes).toEqual([]);
    expect(stored).toEqual(prev);
  });

  it('when a score moves past the threshold, then it is updated with its previous rank and score', () => {
    const { changes } = diffTopN([item('a', 1, 5), item('b', 2, 4)], [item('b', 1, 6), item('a', 2, 5)], { scoreThreshold: 0.1 });
    expect(changes).toEqual([{ type: 'updated', item: item('b', 1, 6), previous: { rank: 2, score: 4 } }]);
  });

  it('when only the score changes, then it is published only beyond the threshold, and the stored state keeps what was published', () => {
    const small = diffTopN([item('a', 1, 5)], [item('a', 1, 5.2)], { scoreThreshold: 0.1 });
    expect(small.changes).toEqual([]);
    expect(small.stored).toEqual([item('a', 1, 5)]);
    const big = diffTopN([item('a', 1, 5)], [item('a', 1, 6)], { scoreThreshold: 0.1 });
    expect(big.changes.map((c) => c.type)).toEqual(['updated']);
    expect(big.stored).toEqual([item('a', 1, 6)]);
  });

  it('when small drifts add up, then they are announced once they pass the threshold against the published score', () => {
    let stored = [item('a', 1, 5)];
    const published: number[] = [];
    for (const score of [5.2, 5.4, 5.6]) {
      const r = diffTopN(stored, [item('a', 1, score)], { scoreThreshold: 0.1 });
      r.changes.forEach((c) => published.push(c.item.score));
      stored = r.stored;
    }
    expect(published).toEqual([5.6]);
  });

  it('when a candidate leaves, then it is withdrawn with the reason that applies', () => {
    const prev = [item('a', 1, 5), item('b', 2, 4), item('c', 3, 3)];
    const { changes } = diffTopN(prev, [item('a', 1, 5)], { scoreThreshold: 0.1, deletedCandidates: new Set(['b']), declined: new Set(['c']) });
    expect(changes.map((c) => (c.type === 'withdrawn' ? [c.item.candidateId, c.reason] : c.type))).toEqual([
      ['b', 'candidate_deleted'],
      ['c', 'declined'],
    ]);
    const gone = diffTopN(prev, [], { scoreThreshold: 0.1, companyDeleted: true });
    expect(gone.changes.every((c) => c.type === 'withdrawn' && c.reason === 'company_deleted')).toBe(true);
    expect(diffTopN([item('x', 1, 1)], [], { scoreThreshold: 0.1 }).changes[0]).toMatchObject({ type: 'withdrawn', reason: 'left_top_n' });
  });

  it('when the same new state is diffed again against what was stored, then nothing is published twice', () => {
    const next = [item('b', 1, 6), item('a', 2, 5)];
    const first = diffTopN([item('a', 1, 5)], next, { scoreThreshold: 0.1 });
    expect(first.changes.length).toBeGreaterThan(0);
    expect(diffTopN(first.stored, next, { scoreThreshold: 0.1 }).changes).toEqual([]);
  });
});
