import { createRandom } from '@lm/random';
import { S3_AREAS, SPECIALTIES, type NeedOfferType, type PublicOrganisation } from '@lm/contracts';
import { PROVINCE_CENTROIDS } from '../eval/labelled';

const PHRASES_EN = [
  'clinical trials of medical devices',
  'cell therapy manufacturing',
  'genomic data analytics',
  'wearable sensors for patients',
  'metal additive manufacturing',
  'industrial automation and robotics',
  'cybersecurity for industrial control systems',
  'precision agriculture sensors',
  'food quality testing',
  'battery systems for electric vehicles',
  'composite materials for satellites',
  'recycling of plastics',
  'telemedicine platform',
  'in vitro diagnostics',
  'drug discovery with machine learning',
  'energy efficiency of buildings',
  'smart city mobility data',
  'rehabilitation robotics',
  'oncology biomarkers',
  'regulatory support for medical devices',
];
const PHRASES_IT = [
  'sperimentazioni cliniche di dispositivi medici',
  'produzione di terapie cellulari',
  'analisi dei dati genomici',
  'sensori indossabili per pazienti',
  'stampa 3D di componenti metallici',
  'automazione industriale e robotica',
  'sicurezza informatica per impianti',
  'sensori per agricoltura di precisione',
  'qualità degli alimenti',
  'batterie per veicoli elettrici',
  'materiali compositi per satelliti',
  'riciclo delle plastiche',
  'piattaforma di telemedicina',
  'diagnostica in vitro',
  'scoperta di farmaci con intelligenza artificiale',
  'efficienza energetica degli edifici',
  'dati di mobilità urbana',
  'robotica per la riabilitazione',
  'biomarcatori oncologici',
  'supporto regolatorio per dispositivi medici',
];
const TYPES: NeedOfferType[] = [
  'rd_collaboration',
  'clinical_trials',
  'tech_transfer',
  'pilot_site',
  'manufacturing',
  'regulatory',
  'skills_training',
  'talent',
  'internationalisation',
];
const PROVINCES = Object.keys(PROVINCE_CENTROIDS) as (keyof typeof PROVINCE_CENTROIDS)[];
const STAGES = ['pre_seed', 'seed', 'series_a', 'series_b', 'growth'] as const;

/** Organisation number `i` of the synthetic population (70 % companies, 20 % research centres, 10 % investors). */
export function syntheticOrganisation(i: number, seed = 42): PublicOrganisation {
  // The same seed gives the same 100,000 organisations.
  const r = createRandom(seed * 1_000_003 + i).next;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const some = <T>(xs: readonly T[], n: number) => [...new Set(Array.from({ length: n }, () => pick(xs)))];
  const roll = r();
  const kind = roll < 0.7 ? 'company' : roll < 0.9 ? 'research_centre' : 'investor';
  const lang = r() < 0.6 ? 'it' : 'en';
  const phrases = lang === 'it' ? PHRASES_IT : PHRASES_EN;
  const province = pick(PROVINCES);
  const c = PROVINCE_CENTROIDS[province]!;
  const s3Areas = some(S3_AREAS, 1 + Math.floor(r() * 2));
  const specialties = some(SPECIALTIES, 1 + Math.floor(r() * 3));
  const item = (type: NeedOfferType) => {
    const title = pick(phrases);
    const trlMin = 1 + Math.floor(r() * 6);
    return {
      type,
      title,
      text: `${title}; ${pick(phrases)}, ${pick(phrases)}.`,
      lang,
      keywords: some(phrases, 2).map((p) => p.split(' ')[0]!),
      s3Areas,
      trl: { min: trlMin, max: Math.min(9, trlMin + 2) },
    } as const;
  };
  const at = '2026-11-01T00:00:00.000Z';
  const base = {
    id: `syn-${i}`,
    legalName: `${kind === 'company' ? 'Impresa' : kind === 'investor' ? 'Fondo' : 'Centro'} ${i}`,
    description: [{ lang, text: `${pick(phrases)} e ${pick(phrases)}` }],
    location: { province, city: province, lat: c.lat + (r() - 0.5) * 0.2, lon: c.lon + (r() - 0.5) * 0.2 },
    s3Areas,
    specialties,
    languages: [lang],
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  if (kind === 'company') {
    const needs = [item(pick(TYPES)), item(pick(TYPES))];
    const stage = pick(STAGES);
    const min = Math.round(50_000 + r() * 5_000_000);
    return {
      ...base,
      kind,
      subtype: pick(['startup', 'sme', 'large'] as const),
      stage,
      needs: [...needs, { type: 'funding', title: 'funding round', text: '', lang, keywords: [], s3Areas: [], amountEur: { min, max: min * 2 } }],
      offers: [item(pick(TYPES))],
    } as PublicOrganisation;
  }
  if (kind === 'investor') {
    const min = Math.round(50_000 + r() * 5_000_000);
    return {
      ...base,
      kind,
      subtype: pick(['vc_fund', 'corporate_vc', 'angel_network', 'public_fund'] as const),
      needs: [],
      offers: [],
      investor: { stages: some(STAGES, 2), ticketEur: { min, max: min * 4 }, sectors: specialties, s3Areas, geography: r() < 0.5 ? [] : some(PROVINCES, 3) },
    } as PublicOrganisation;
  }
  return {
    ...base,
    kind,
    subtype: pick(['university', 'irccs', 'institute', 'competence_centre'] as const),
    needs: [item(pick(TYPES))],
    offers: [item(pick(TYPES)), item(pick(TYPES))],
  } as PublicOrganisation;
}
