import { makeEnvelope, S3_AREAS, SPECIALTIES, type Envelope } from '@lm/contracts';

/** A deterministic synthetic organisation input (the import API's shape): ~30 % companies, 50 % centres, 20 % investors. */
export function syntheticInput(tag: string, n: number) {
  const pick = <T>(list: readonly T[], k: number) => list[(n * 7 + k * 13) % list.length]!;
  const s3 = [pick(S3_AREAS, 1), pick(S3_AREAS, 2)];
  const specialties = [pick(SPECIALTIES, 3), pick(SPECIALTIES, 4)];
  const base = {
    legalName: `Bench ${tag} ${n}`,
    location: { province: n % 3 ? 'MI' : 'BG', city: n % 3 ? 'Milano' : 'Bergamo' },
    s3Areas: [...new Set(s3)],
    specialties: [...new Set(specialties)],
    languages: ['it'],
  };
  const text = `${specialties.join(' ')} ${s3.join(' ')} progetto ${n % 50}`;
  if (n % 10 < 3) {
    return {
      ...base,
      kind: 'company',
      subtype: 'startup',
      stage: 'seed',
      needs: [
        {
          type: 'rd_collaboration',
          title: `Cerchiamo collaborazione ${text}`,
          lang: 'it',
          keywords: specialties,
          s3Areas: base.s3Areas,
          trl: { min: 4, max: 7 },
        },
      ],
      offers: [{ type: 'pilot_site', title: `Sito pilota ${text}`, lang: 'it' }],
    };
  }
  if (n % 10 < 8) {
    return {
      ...base,
      kind: 'research_centre',
      subtype: 'university',
      offers: [{ type: 'rd_collaboration', title: `Ricerca ${text}`, lang: 'it', keywords: specialties, s3Areas: base.s3Areas, trl: { min: 3, max: 8 } }],
    };
  }
  return {
    ...base,
    kind: 'investor',
    subtype: 'vc_fund',
    offers: [{ type: 'funding', title: `Investimenti ${text}`, lang: 'it', amountEur: { min: 250_000, max: 2_000_000 } }],
    investor: { stages: ['seed'], ticketEur: { min: 250_000, max: 2_000_000 }, sectors: base.specialties, s3Areas: base.s3Areas, geography: [] },
  };
}

/** `count` envelopes cloned from `templates` under fresh ids (`<tag>-<i>`), as if profiles had published them. */
export function directEnvelopes(templates: Envelope[], tag: string, count: number): Envelope[] {
  return Array.from({ length: count }, (_, i) => {
    const e = templates[i % templates.length]!;
    const id = `${tag}-${i}`;
    const data = e.data as { organisation: Record<string, unknown>; version: number };
    return makeEnvelope({
      type: e.type,
      key: id,
      source: 'bench',
      data: { ...data, organisation: { ...data.organisation, id, legalName: `Bench ${tag} ${i}` } },
    });
  });
}
