import { OrganisationEvent, OrganisationInput, OrganisationPatch, buildAsyncApi, makeEnvelope, toPublicOrganisation, Organisation, TOPICS } from '../src';

const company = {
  kind: 'company',
  subtype: 'startup',
  legalName: 'CardioSense S.r.l.',
  description: [{ lang: 'it', text: 'Dispositivi indossabili per il monitoraggio cardiaco' }],
  website: 'https://cardiosense.example.it',
  vatNumber: 'IT 12345678901',
  location: { province: 'MI', city: 'Milano' },
  s3Areas: ['health_life_sciences'],
  specialties: ['cardiology', 'medical_devices'],
  needs: [{ type: 'clinical_trials', title: 'Sperimentazione clinica multicentrica', trl: { min: 5, max: 7 } }],
  contacts: [{ name: 'Anna Rossi', email: 'anna@cardiosense.example.it' }],
};

describe('organisation schemas', () => {
  it('when a valid company is parsed, then defaults fill in and the VAT number is normalised', () => {
    const parsed = OrganisationInput.parse(company);
    expect(parsed.vatNumber).toBe('12345678901');
    expect(parsed.needs[0]).toMatchObject({ lang: 'en', keywords: [], s3Areas: [] });
    expect(parsed.languages).toEqual(['it']);
  });

  it('when the subtype does not belong to the kind, then the issue points at subtype', () => {
    const r = OrganisationInput.safeParse({ ...company, subtype: 'irccs' });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toContain('subtype');
  });

  it('when an investor lacks its investor profile, then it is refused', () => {
    const r = OrganisationInput.safeParse({ ...company, kind: 'investor', subtype: 'vc_fund' });
    expect(r.error!.issues.map((i) => i.path.join('.'))).toEqual(['investor']);
  });

  it('when a TRL range is inverted, then the issue names the nested field', () => {
    const r = OrganisationInput.safeParse({ ...company, needs: [{ ...company.needs[0], trl: { min: 8, max: 3 } }] });
    expect(r.error!.issues[0]!.path).toEqual(['needs', 0, 'trl', 'min']);
  });

  it('when a patch carries a server-owned field, then it is refused', () => {
    expect(OrganisationPatch.safeParse({ version: 3 }).success).toBe(false);
    expect(OrganisationPatch.safeParse({}).success).toBe(false);
    expect(OrganisationPatch.safeParse({ legalName: 'New name' }).success).toBe(true);
  });

  it('when an organisation is made public, then contacts and VAT number are gone', () => {
    const full: Organisation = {
      ...OrganisationInput.parse(company),
      id: 'org-1',
      version: 1,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    const pub = toPublicOrganisation(full);
    expect(pub).not.toHaveProperty('contacts');
    expect(pub).not.toHaveProperty('vatNumber');
    expect(pub.legalName).toBe('CardioSense S.r.l.');
  });

  it('when an event envelope is built, then it validates against the event union', () => {
    const full = { ...OrganisationInput.parse(company), id: 'org-1', version: 2, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() };
    const env = makeEnvelope({
      type: 'organisation.upserted',
      key: 'org-1',
      source: 'profiles',
      data: { organisation: toPublicOrganisation(full), version: 2 },
    });
    expect(OrganisationEvent.parse(env).type).toBe('organisation.upserted');
    expect(OrganisationEvent.safeParse({ ...env, type: 'organisation.exploded' }).success).toBe(false);
  });

  it('when an AsyncAPI document is generated, then it names the topic and embeds the payload schema', () => {
    const doc = buildAsyncApi({ title: 't', version: '1' }, [
      { topic: TOPICS.organisations, description: 'profiles', key: 'organisation id', messages: { 'organisation.deleted': OrganisationEvent } },
    ]);
    expect(Object.values(doc.channels)[0]).toMatchObject({ address: 'profiles.organisations.v1' });
    expect(JSON.stringify(doc.components.messages)).toContain('"occurredAt"');
  });
});
