import { cutRanking, isCurrent, memberFilter, sameRanking, type MatchItem, type StoredRanking } from '../src/domain/topn/stored-ranking';

function item(id: string, score: number, extra: { province?: string; areas?: string[] } = {}): MatchItem {
  const parts = { s3: score, need_fit: 0, specialty: 0, trl: 0, investor_fit: 0, reciprocity: 0, proximity: 0, feedback: 0 };
  return {
    matchId: `co~${id}`,
    rank: 0,
    score,
    candidate: { id, kind: 'research_centre', name: `Centre ${id}`, province: extra.province },
    explanation: {
      parts,
      matchedS3Areas: (extra.areas ?? []) as never,
      matchedSpecialties: [],
      matchedTerms: [],
      summary: `Centre ${id} matches mainly on S3 areas.`,
      lang: 'en',
      weightsVersion: 'w1',
    },
  };
}

function ranking(items: MatchItem[], extra: Partial<StoredRanking> = {}): StoredRanking {
  return { companyVersion: 3, feedbackVersion: 1, weightsVersion: 'w1', lang: 'en', items, computedAt: '2026-12-02T00:00:00Z', ...extra };
}

const all = () => true;

describe('stored ranking', () => {
  it('when any of the company, feedback or weights versions moved on, then the ranking is not current', () => {
    const r = ranking([]);
    expect(isCurrent(r, { companyVersion: 3, feedbackVersion: 1, weightsVersion: 'w1' })).toBe(true);
    expect(isCurrent(r, { companyVersion: 4, feedbackVersion: 1, weightsVersion: 'w1' })).toBe(false);
    expect(isCurrent(r, { companyVersion: 3, feedbackVersion: 2, weightsVersion: 'w1' })).toBe(false);
    expect(isCurrent(r, { companyVersion: 3, feedbackVersion: 1, weightsVersion: 'w2' })).toBe(false);
    expect(isCurrent(undefined, { companyVersion: 3, feedbackVersion: 1, weightsVersion: 'w1' })).toBe(false);
  });

  it('when only the computation time differs, then it is the same ranking (nothing to write)', () => {
    const a = ranking([item('a', 2)]);
    expect(sameRanking(a, { ...a, computedAt: 'later' })).toBe(true);
    expect(sameRanking(a, ranking([item('a', 2.1)]))).toBe(false);
    expect(sameRanking(a, ranking([item('a', 2)], { companyVersion: 4 }))).toBe(false);
    expect(sameRanking(undefined, a)).toBe(false);
  });

  it('when a full ranking has fewer passing members than the limit, then it cannot answer; a ranking shorter than N always can', () => {
    const full = ranking([item('a', 3, { province: 'MI' }), item('b', 2), item('c', 1, { province: 'MI' })]);
    const inMilan = memberFilter({ province: 'MI' }, [])!;
    expect(cutRanking(full, 3, 2, inMilan, 'en')!.map((i) => i.candidate.id)).toEqual(['a', 'c']);
    expect(cutRanking(full, 3, 3, inMilan, 'en')).toBeUndefined();
    // N = 5: the live query found only these three candidates, so a filter leaves exactly the passing ones.
    expect(cutRanking(full, 5, 3, inMilan, 'en')!.map((i) => i.candidate.id)).toEqual(['a', 'c']);
    expect(cutRanking(full, 3, 2, all, 'en')!.map((i) => i.candidate.id)).toEqual(['a', 'b']);
  });

  it('when the S3 area filter is one of the company areas, then matched areas decide; outside them the ranking cannot tell', () => {
    const pass = memberFilter({ s3Area: 'aerospace' }, ['aerospace', 'agrifood'])!;
    expect(pass(item('a', 1, { areas: ['aerospace'] }))).toBe(true);
    expect(pass(item('b', 1, { areas: ['agrifood'] }))).toBe(false);
    expect(memberFilter({ s3Area: 'eco_industry' }, ['aerospace'])).toBeUndefined();
  });

  it('when the request asks for another language than the stored one, then each sentence is rewritten in it and nothing else changes', () => {
    const [it] = cutRanking(ranking([item('a', 2, { areas: ['aerospace'] })]), 20, 1, all, 'it')!;
    expect(it!.explanation.lang).toBe('it');
    expect(it!.explanation.summary).toMatch(/^Centre a è un buon candidato soprattutto per aree S3; in comune: aree S3 aerospazio\.$/);
    expect({ ...it!, explanation: { ...it!.explanation, summary: '', lang: 'en' } }).toEqual({
      ...item('a', 2, { areas: ['aerospace'] }),
      explanation: { ...item('a', 2, { areas: ['aerospace'] }).explanation, summary: '' },
    });
  });
});
