import { z } from './zod';

/** Lombardy S3 areas (seven of the 2014-2020 strategy + smart communities of the Open Innovation platform). */
export const S3_AREAS = [
  'aerospace',
  'agrifood',
  'eco_industry',
  'creative_cultural',
  'health_life_sciences',
  'advanced_manufacturing',
  'sustainable_mobility',
  'smart_communities',
] as const;
export const S3Area = z.enum(S3_AREAS);
export type S3Area = z.infer<typeof S3Area>;

export const ORGANISATION_KINDS = ['company', 'research_centre', 'investor', 'intermediary'] as const;
export const OrganisationKind = z.enum(ORGANISATION_KINDS);
export type OrganisationKind = z.infer<typeof OrganisationKind>;

/** Which subtypes belong to which kind. */
export const SUBTYPES_BY_KIND = {
  company: ['startup', 'sme', 'large'],
  research_centre: ['university', 'irccs', 'institute', 'competence_centre'],
  investor: ['vc_fund', 'corporate_vc', 'angel_network', 'public_fund'],
  intermediary: ['cluster', 'accelerator', 'association', 'tech_transfer_office'],
} as const satisfies Record<OrganisationKind, readonly string[]>;
export const ORGANISATION_SUBTYPES = Object.values(SUBTYPES_BY_KIND).flat() as [string, ...string[]];
export const OrganisationSubtype = z.enum(
  ORGANISATION_SUBTYPES as unknown as readonly [(typeof SUBTYPES_BY_KIND)[OrganisationKind][number], ...(typeof SUBTYPES_BY_KIND)[OrganisationKind][number][]],
);
export type OrganisationSubtype = z.infer<typeof OrganisationSubtype>;

export const SPECIALTIES = [
  // life sciences (IRCCS areas and Life Sciences Hub sub-sectors)
  'oncology',
  'cardiology',
  'neurology',
  'rehabilitation',
  'molecular_medicine',
  'psychiatry',
  'rare_diseases',
  'musculoskeletal',
  'orthopaedics',
  'immunology',
  'genomics',
  'gene_therapy',
  'cell_therapy',
  'car_t',
  'personalised_medicine',
  'medical_devices',
  'in_vitro_diagnostics',
  'electromedicine',
  'telemedicine',
  'digital_health',
  'pharma',
  'biotech',
  'cdmo',
  'drug_discovery',
  'bioinformatics',
  // cross-cutting technologies (Competenze & Innovazione topics)
  'artificial_intelligence',
  'data_analytics',
  'automation',
  'robotics',
  'iot',
  'cybersecurity',
  'circular_economy',
  'energy_efficiency',
  'esg',
  'additive_manufacturing',
  'advanced_materials',
  'space_technologies',
  'food_technology',
  'precision_agriculture',
  'electric_mobility',
  'logistics',
  'smart_city',
  'design',
  'cultural_heritage',
] as const;
export const Specialty = z.enum(SPECIALTIES);
export type Specialty = z.infer<typeof Specialty>;

export const NEED_OFFER_TYPES = [
  'rd_collaboration',
  'clinical_trials',
  'tech_transfer',
  'pilot_site',
  'funding',
  'manufacturing',
  'regulatory',
  'skills_training',
  'talent',
  'internationalisation',
] as const;
export const NeedOfferType = z.enum(NEED_OFFER_TYPES);
export type NeedOfferType = z.infer<typeof NeedOfferType>;

export const INVESTMENT_STAGES = ['pre_seed', 'seed', 'series_a', 'series_b', 'growth'] as const;
export const InvestmentStage = z.enum(INVESTMENT_STAGES);
export type InvestmentStage = z.infer<typeof InvestmentStage>;

/** The twelve Lombardy provinces (ISTAT abbreviations); `OUT` for organisations outside the region. */
export const PROVINCES = ['MI', 'BG', 'BS', 'CO', 'CR', 'LC', 'LO', 'MN', 'MB', 'PV', 'SO', 'VA', 'OUT'] as const;
export const Province = z.enum(PROVINCES);
export type Province = z.infer<typeof Province>;

export const LANGUAGES = ['it', 'en'] as const;
export const Language = z.enum(LANGUAGES);
export type Language = z.infer<typeof Language>;

export const ORGANISATION_SIZES = ['micro', 'small', 'medium', 'large'] as const;
export const OrganisationSize = z.enum(ORGANISATION_SIZES);
export type OrganisationSize = z.infer<typeof OrganisationSize>;
