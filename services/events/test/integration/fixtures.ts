import { makeEnvelope, MATCH_EVENT_TYPES, matchIdOf, ORGANISATION_EVENT_TYPES, SCORE_PARTS } from '@lm/contracts';

const KIND = { company: ['company', 'sme'], research_centre: ['research_centre', 'irccs'], investor: ['investor', 'vc_fund'] } as const;

/** organisation.upserted as profiles publishes it (public snapshot + profile version). */
export function organisationUpserted(id: string, kind: keyof typeof KIND, name: string, version = 1) {
  const [k, subtype] = KIND[kind];
  const now = new Date().toISOString();
  return makeEnvelope({
    type: ORGANISATION_EVENT_TYPES.upserted,
    key: id,
    source: 'profiles',
    data: {
      version,
      organisation: {
        id,
        kind: k,
        subtype,
        legalName: name,
        description: [{ lang: 'en', text: `${name} works on life sciences.` }],
        location: { province: 'MI', city: 'Milano' },
        s3Areas: ['health_life_sciences'],
        specialties: ['oncology'],
        needs: [],
        offers: [],
        languages: ['it'],
        ...(k === 'investor' ? { investor: { stages: ['seed'], ticketEur: { min: 100000, max: 1000000 }, sectors: [], s3Areas: [], geography: [] } } : {}),
        version,
        createdAt: now,
        updatedAt: now,
      },
    },
  });
}

/** A matching message making `candidateId` the company's only suggestion. */
export function matchSuggested(companyId: string, candidateId: string, candidateName: string, score: number) {
  const ref = { matchId: matchIdOf(companyId, candidateId), candidateId, candidateKind: 'research_centre' as const, candidateName };
  return makeEnvelope({
    type: MATCH_EVENT_TYPES.suggestionsChanged,
    key: companyId,
    source: 'matching',
    data: {
      companyId,
      weightsVersion: 'w1',
      changes: [{ type: 'suggested' as const, ...ref, rank: 1, score }],
      topN: [
        {
          ...ref,
          rank: 1,
          score,
          explanation: {
            parts: Object.fromEntries(SCORE_PARTS.map((p) => [p, p === 's3' ? score : 0])),
            matchedS3Areas: ['health_life_sciences'],
            matchedSpecialties: ['oncology'],
            matchedTerms: ['oncology'],
            summary: `Both work on oncology in health & life sciences.`,
            lang: 'en',
          },
        },
      ],
    },
  });
}

/** A participant document as the repositories store it (validated, visible, no availability limits, empty outbox). */
export function storedParticipant(p: { id: string; eventId: string; organisationId: string; type: string; name: string; registeredAt: string }) {
  return {
    _id: p.id,
    eventId: p.eventId,
    organisationId: p.organisationId,
    type: p.type,
    organisation: { name: p.name, kind: p.type, s3Areas: [], specialties: [] },
    availability: {},
    vip: false,
    visible: true,
    status: 'validated',
    version: 1,
    registeredAt: p.registeredAt,
    outbox: [],
  };
}
