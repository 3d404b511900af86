import { SCORE_PARTS, type ExplanationSummary, type ScorePart } from '@lm/contracts';
import type { OrganisationDoc } from '../organisation-doc';
import { surfaceForms } from '../text';
import { companyS3Areas } from './match-query';

export type Lang = 'it' | 'en';

const PART_LABELS: Record<Lang, Record<ScorePart, string>> = {
  en: {
    s3: 'S3 areas',
    need_fit: 'fit with your needs',
    specialty: 'specialties',
    trl: 'technology readiness',
    investor_fit: 'investment fit',
    reciprocity: 'mutual interest',
    proximity: 'proximity',
    feedback: 'your earlier feedback',
  },
  it: {
    s3: 'aree S3',
    need_fit: 'corrispondenza con i vostri bisogni',
    specialty: 'specializzazioni',
    trl: 'maturità tecnologica',
    investor_fit: 'profilo di investimento',
    reciprocity: 'interesse reciproco',
    proximity: 'vicinanza',
    feedback: 'il vostro feedback precedente',
  },
};

const S3_LABELS: Record<Lang, Record<string, string>> = {
  en: {
    aerospace: 'aerospace',
    agrifood: 'agri-food',
    eco_industry: 'eco-industry',
    creative_cultural: 'creative and cultural industries',
    health_life_sciences: 'health and life sciences',
    advanced_manufacturing: 'advanced manufacturing',
    sustainable_mobility: 'sustainable mobility',
    smart_communities: 'smart communities',
  },
  it: {
    aerospace: 'aerospazio',
    agrifood: 'agroalimentare',
    eco_industry: 'eco-industria',
    creative_cultural: 'industrie culturali e creative',
    health_life_sciences: 'salute e scienze della vita',
    advanced_manufacturing: 'manifattura avanzata',
    sustainable_mobility: 'mobilità sostenibile',
    smart_communities: 'smart communities',
  },
};

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * Named-query scores → the parts. Each part is rounded, and the score is the sum of the rounded
 * parts, so what a client sees adds up exactly (Elasticsearch sums float32s; we do not pretend
 * to more precision than that).
 */
export function composeScore(named: Record<string, number> | string[] | undefined): { score: number; parts: Record<ScorePart, number> } {
  const scores = Array.isArray(named) || !named ? {} : named;
  const parts = Object.fromEntries(SCORE_PARTS.map((p) => [p, round4(scores[p] ?? 0)])) as Record<ScorePart, number>;
  const score = round4(SCORE_PARTS.reduce((sum, p) => sum + parts[p], 0));
  return { score, parts };
}

/** Distinct members of `a` also in `b`, in `a`'s order (short arrays: scanning beats building sets for every hit). */
function intersect(a: readonly string[] | undefined, b: readonly string[] | undefined): string[] {
  const out: string[] = [];
  if (!a?.length || !b?.length) return out;
  for (const x of a) if (b.includes(x) && !out.includes(x)) out.push(x);
  return out;
}

/** Matched S3 areas, specialties and terms, computed from the two documents (no second query). */
export function matchedFeatures(company: OrganisationDoc, candidate: OrganisationDoc) {
  const terms = intersect(company.needTerms, candidate.offerTerms);
  // The search fetches only the snapshot fields an explanation reads (MATCH_SOURCE_FIELDS): an absent or empty one is simply skipped.
  const candidateTexts = [
    ...(candidate.snapshot?.offers ?? []).flatMap((o) => [o.title, o.text, ...(o.keywords ?? [])]),
    ...(candidate.snapshot?.description ?? []).map((d) => d.text),
  ].filter((t): t is string => typeof t === 'string');
  const surfaces = surfaceForms(terms, candidateTexts);
  return {
    matchedS3Areas: intersect(companyS3Areas(company), candidate.s3Areas),
    matchedSpecialties: intersect(company.specialties, [...(candidate.specialties ?? []), ...(candidate.investorSectors ?? [])]),
    matchedTerms: terms.slice(0, 12).map((t) => surfaces.get(t) ?? t),
  };
}

function list(items: string[], lang: Lang): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${lang === 'it' ? 'e' : 'and'} ${items[items.length - 1]}`;
}

/** One sentence naming the two strongest parts and what was shared. */
export function summarise(
  candidateName: string,
  parts: Record<ScorePart, number>,
  features: { matchedS3Areas: string[]; matchedSpecialties: string[]; matchedTerms: string[] },
  lang: Lang,
): string {
  const top = SCORE_PARTS.filter((p) => parts[p] > 0)
    .sort((a, b) => parts[b] - parts[a])
    .slice(0, 2)
    .map((p) => PART_LABELS[lang][p]);
  const shared: string[] = [];
  if (features.matchedS3Areas.length)
    shared.push(
      `${PART_LABELS[lang].s3} ${list(
        features.matchedS3Areas.map((a) => S3_LABELS[lang][a] ?? a),
        lang,
      )}`,
    );
  if (features.matchedTerms.length) shared.push(`${lang === 'it' ? 'termini' : 'terms'} "${features.matchedTerms.slice(0, 4).join('", "')}"`);
  if (features.matchedSpecialties.length) shared.push(`${PART_LABELS[lang].specialty} ${features.matchedSpecialties.slice(0, 3).join(', ')}`);
  if (lang === 'it') {
    const why = top.length ? `soprattutto per ${list(top, 'it')}` : 'per affinità generale';
    return `${candidateName} è un buon candidato ${why}${shared.length ? `; in comune: ${shared.join('; ')}` : ''}.`;
  }
  const why = top.length ? `mainly on ${list(top, 'en')}` : 'on general affinity';
  return `${candidateName} matches ${why}${shared.length ? `; shared: ${shared.join('; ')}` : ''}.`;
}

export function explain(
  company: OrganisationDoc,
  candidate: OrganisationDoc,
  named: Record<string, number> | string[] | undefined,
  lang: Lang,
): { score: number; explanation: ExplanationSummary } {
  const { score, parts } = composeScore(named);
  const features = matchedFeatures(company, candidate);
  return {
    score,
    explanation: {
      parts,
      matchedS3Areas: features.matchedS3Areas as ExplanationSummary['matchedS3Areas'],
      matchedSpecialties: features.matchedSpecialties as ExplanationSummary['matchedSpecialties'],
      matchedTerms: features.matchedTerms,
      summary: summarise(candidate.name ?? candidate.id, parts, features, lang),
      lang,
    },
  };
}

/** `lang` query parameter first, then Accept-Language, then the company's first language. */
export function pickLang(queryLang: string | undefined, acceptLanguage: string | undefined, fallback: readonly string[] | undefined): Lang {
  if (queryLang === 'it' || queryLang === 'en') return queryLang;
  const accepted = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { lang: (tag ?? '').slice(0, 2).toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((x) => x.lang === 'it' || x.lang === 'en')
    .sort((a, b) => b.q - a.q);
  if (accepted[0]) return accepted[0].lang as Lang;
  return fallback?.[0] === 'en' ? 'en' : 'it';
}
