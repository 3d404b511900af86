import { makeEnvelope, MATCH_EVENT_TYPES, matchIdOf, SCORE_PARTS, type MatchEvent } from '@lm/contracts';
import { createLogger } from '@lm/logger';
import { connectMongo } from '@lm/mongo';
import { testEndpoints, uniqueName } from '@lm/testing';
import type { Connection } from 'mongoose';
import { suggestionStore } from '../../src/data/snapshots.repository';

const logger = createLogger({ service: 'events-test', level: 'silent' });
const explanation = {
  parts: Object.fromEntries(SCORE_PARTS.map((p) => [p, 0])),
  matchedS3Areas: [],
  matchedSpecialties: [],
  matchedTerms: [],
  summary: 'why',
  lang: 'en' as const,
};

/** A matching message: the company's whole top-N, `[candidateId, score]` best first. */
function topN(companyId: string, items: [string, number][], occurredAt: string): MatchEvent {
  const ref = (candidateId: string) => ({
    matchId: matchIdOf(companyId, candidateId),
    candidateId,
    candidateKind: 'research_centre' as const,
    candidateName: candidateId,
  });
  return makeEnvelope({
    type: MATCH_EVENT_TYPES.suggestionsChanged,
    key: companyId,
    source: 'matching',
    occurredAt,
    data: {
      companyId,
      weightsVersion: 'w',
      changes: items.map(([id, score], n) => ({ type: 'suggested' as const, ...ref(id), rank: n + 1, score })),
      topN: items.map(([id, score], n) => ({ ...ref(id), rank: n + 1, score, explanation })),
    },
  }) as unknown as MatchEvent;
}

describe('stored suggestions from matching messages (real Mongo-wire)', () => {
  let mongo: Connection;
  beforeAll(async () => {
    mongo = await connectMongo({ uri: testEndpoints().mongoUri, dbName: uniqueName('events-sugg').replace(/-/g, '_'), logger });
  });
  afterAll(async () => {
    await mongo.close();
  });

  it("when a newer top-N arrives, then it replaces the company's suggestions (the rest withdrawn) and a late older one changes nothing", async () => {
    const store = suggestionStore(mongo);
    await store.apply(
      topN(
        'co',
        [
          ['a', 3],
          ['b', 2],
        ],
        '2026-12-01T10:00:00.000Z',
      ),
    );
    await store.apply(
      topN(
        'co',
        [
          ['c', 4],
          ['b', 2.5],
        ],
        '2026-12-01T10:00:05.000Z',
      ),
    );
    await store.apply(topN('co', [['a', 9]], '2026-12-01T10:00:01.000Z')); // late, older
    const current = (await store.forOrganisations(['co'])).map((s) => [s.id, s.candidateId, s.rank, s.score]);
    expect(current.sort()).toEqual([
      ['co~b', 'b', 2, 2.5],
      ['co~c', 'c', 1, 4],
    ]);
    // Found from the candidate's side too; the withdrawn one is gone.
    expect((await store.forOrganisations(['c'])).map((s) => s.companyId)).toEqual(['co']);
    expect(await store.forOrganisations(['a'])).toEqual([]);
    // Applying the newest message again (re-delivery) changes nothing.
    await store.apply(
      topN(
        'co',
        [
          ['c', 4],
          ['b', 2.5],
        ],
        '2026-12-01T10:00:05.000Z',
      ),
    );
    expect(await store.forOrganisations(['co'])).toHaveLength(2);
  });
});
