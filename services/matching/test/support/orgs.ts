import { makeEnvelope, ORGANISATION_EVENT_TYPES, type NeedOffer, type PublicOrganisation } from '@lm/contracts';

type OrgInput = Partial<Omit<PublicOrganisation, 'needs' | 'offers'>> & {
  needs?: Partial<NeedOffer>[];
  offers?: Partial<NeedOffer>[];
};

function needOffer(n: Partial<NeedOffer>): NeedOffer {
  return { type: 'rd_collaboration', title: 'collaboration', text: '', lang: 'en', keywords: [], s3Areas: [], ...n } as NeedOffer;
}

/** A valid public organisation snapshot with sensible defaults (a Milan research centre). */
export function org(input: OrgInput & { id: string }): PublicOrganisation {
  const now = new Date().toISOString();
  return {
    kind: 'research_centre',
    subtype: 'university',
    legalName: `Org ${input.id}`,
    description: [],
    location: { province: 'MI', city: 'Milano' },
    s3Areas: ['health_life_sciences'],
    specialties: [],
    languages: ['it'],
    version: 1,
    createdAt: now,
    updatedAt: now,
    ...input,
    needs: (input.needs ?? []).map(needOffer),
    offers: (input.offers ?? []).map(needOffer),
  } as PublicOrganisation;
}

export function upserted(o: PublicOrganisation, version = o.version) {
  return makeEnvelope({ type: ORGANISATION_EVENT_TYPES.upserted, key: o.id, source: 'profiles', data: { organisation: { ...o, version }, version } });
}

export function deleted(id: string, version: number) {
  return makeEnvelope({ type: ORGANISATION_EVENT_TYPES.deleted, key: id, source: 'profiles', data: { id, version, deletedAt: new Date().toISOString() } });
}

/** A medtech start-up looking for clinical trials and seed money. */
export function medtechCompany(id: string, extra: OrgInput = {}) {
  return org({
    id,
    kind: 'company',
    subtype: 'startup',
    legalName: `Medtech ${id}`,
    stage: 'seed',
    specialties: ['medical_devices', 'cardiology'],
    needs: [
      {
        type: 'clinical_trials',
        title: 'Sperimentazioni cliniche per dispositivi medici cardiologici',
        lang: 'it',
        keywords: ['cardiologia'],
        s3Areas: ['health_life_sciences'],
        trl: { min: 5, max: 7 },
      },
      { type: 'funding', title: 'Seed round', amountEur: { min: 500_000, max: 1_500_000 } },
    ],
    offers: [{ type: 'pilot_site', title: 'Wearable ECG sensor data platform' }],
    location: { province: 'MI', city: 'Milano', lat: 45.46, lon: 9.19 },
    ...extra,
  });
}

/** An IRCCS running clinical trials on cardiac devices. */
export function cardiacIrccs(id: string, extra: OrgInput = {}) {
  return org({
    id,
    kind: 'research_centre',
    subtype: 'irccs',
    legalName: `IRCCS Cardio ${id}`,
    specialties: ['cardiology', 'medical_devices'],
    offers: [
      {
        type: 'clinical_trials',
        title: 'Clinical trials of cardiac medical devices',
        text: 'Phase II-III clinical trial unit for cardiology devices',
        trl: { min: 5, max: 8 },
        s3Areas: ['health_life_sciences'],
      },
    ],
    location: { province: 'MI', city: 'Milano', lat: 45.47, lon: 9.2 },
    ...extra,
  });
}

export function seedInvestor(id: string, extra: OrgInput = {}) {
  return org({
    id,
    kind: 'investor',
    subtype: 'vc_fund',
    legalName: `Seed Fund ${id}`,
    specialties: ['medical_devices'],
    investor: {
      stages: ['pre_seed', 'seed'],
      ticketEur: { min: 250_000, max: 2_000_000 },
      sectors: ['medical_devices', 'digital_health'],
      s3Areas: ['health_life_sciences'],
      geography: [],
    },
    ...extra,
  });
}

/** An agrifood institute: should never come first for a medtech company. */
export function agrifoodInstitute(id: string, extra: OrgInput = {}) {
  return org({
    id,
    kind: 'research_centre',
    subtype: 'institute',
    legalName: `Agri Institute ${id}`,
    s3Areas: ['agrifood'],
    specialties: ['food_technology', 'precision_agriculture'],
    offers: [{ type: 'rd_collaboration', title: 'Precision agriculture sensors', s3Areas: ['agrifood'] }],
    location: { province: 'CR', city: 'Cremona' },
    ...extra,
  });
}
