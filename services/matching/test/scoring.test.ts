import { compatibleOfferTypes, NEED_TO_OFFER, needTypesServedBy } from '../src/domain/scoring/compatibility';
import { composeScore, pickLang, summarise } from '../src/domain/scoring/explanation';
import { buildMatchQuery } from '../src/domain/scoring/match-query';
import { WEIGHTS } from '../src/domain/scoring/weights.v1';
import { toOrganisationDoc, esVersionOf } from '../src/domain/organisation-doc';
import { medtechCompany, seedInvestor } from './support/orgs';

describe('need ↔ offer compatibility table', () => {
  it('when a company needs funding, then only funding offers answer, and investors offer funding implicitly', () => {
    expect(compatibleOfferTypes(['funding'])).toEqual(['funding']);
    expect(toOrganisationDoc(seedInvestor('i'), 1).offerTypes).toContain('funding');
  });
  it('when a company needs clinical trials or R&D, then research-centre offers answer', () => {
    expect(compatibleOfferTypes(['clinical_trials'])).toEqual(['clinical_trials']);
    expect(compatibleOfferTypes(['rd_collaboration'])).toEqual(['rd_collaboration', 'tech_transfer']);
  });
  it('when read in reverse, then every offer type serves at least the need type of the same name', () => {
    for (const need of Object.keys(NEED_TO_OFFER)) expect(needTypesServedBy([need as 'funding'])).toContain(need);
  });
});

describe('score composition and explanation', () => {
  it('when named scores come back, then parts are rounded and the score is exactly their sum', () => {
    const { score, parts } = composeScore({ s3: 1.00004, need_fit: 2.33333, proximity: 0.123456 });
    expect(parts).toMatchObject({ s3: 1, need_fit: 2.3333, proximity: 0.1235, trl: 0, feedback: 0 });
    expect(score).toBe(3.4568);
    expect(composeScore(undefined).score).toBe(0);
  });

  it('when summarising, then the sentence names the strongest parts in the chosen language', () => {
    const parts = { s3: 1, need_fit: 3, specialty: 0, trl: 0, investor_fit: 0, reciprocity: 0, proximity: 0.2, feedback: 0 };
    const features = { matchedS3Areas: ['health_life_sciences'], matchedSpecialties: [], matchedTerms: ['trials'] };
    expect(summarise('IRCCS X', parts, features, 'en')).toBe(
      'IRCCS X matches mainly on fit with your needs and S3 areas; shared: S3 areas health and life sciences; terms "trials".',
    );
    expect(summarise('IRCCS X', parts, features, 'it')).toMatch(
      /^IRCCS X è un buon candidato soprattutto per corrispondenza con i vostri bisogni e aree S3; in comune: aree S3 salute e scienze della vita/,
    );
  });

  it('when choosing a language, then lang beats Accept-Language beats the company default', () => {
    expect(pickLang('en', 'it-IT', ['it'])).toBe('en');
    expect(pickLang(undefined, 'fr-FR, en;q=0.8, it;q=0.5', ['it'])).toBe('en');
    expect(pickLang(undefined, undefined, ['en'])).toBe('en');
    expect(pickLang(undefined, 'de', undefined)).toBe('it');
  });
});

describe('match query', () => {
  const company = toOrganisationDoc(medtechCompany('c1'), 1);
  const body = buildMatchQuery(company, { kinds: ['research_centre', 'investor'], size: 20, declined: ['x'], accepted: ['y'] }, WEIGHTS);

  it('when built, then every should clause is one named score part', () => {
    const names = (body.query.bool.should as { bool: { _name: string } }[]).map((q) => q.bool._name);
    expect(names).toEqual(['s3', 'need_fit', 'specialty', 'trl', 'investor_fit', 'reciprocity', 'proximity', 'feedback']);
    expect(body.include_named_queries_score).toBe(true);
  });

  it('when the company declined a candidate, then it and the company itself are excluded', () => {
    expect(body.query.bool.must_not[0]).toEqual({ ids: { values: ['c1', 'x'] } });
  });

  it('when a profile is deleted at the same version it was last upserted, then the delete still wins (odd external version)', () => {
    expect(esVersionOf(3, true)).toBeGreaterThan(esVersionOf(3, false));
    expect(esVersionOf(4, false)).toBeGreaterThan(esVersionOf(3, true));
  });
});
