import { lineText, multilineText } from './text.schema';
import { z } from './zod';
import {
  InvestmentStage,
  Language,
  NeedOfferType,
  OrganisationKind,
  OrganisationSize,
  OrganisationSubtype,
  Province,
  S3Area,
  SUBTYPES_BY_KIND,
  Specialty,
} from './taxonomy';

export const LocalizedText = z.object({ lang: Language, text: multilineText({ min: 1, max: 5000 }) }).openapi('LocalizedText');
export type LocalizedText = z.infer<typeof LocalizedText>;

export const TrlRange = z
  .object({ min: z.number().int().min(1).max(9), max: z.number().int().min(1).max(9) })
  .refine((r) => r.min <= r.max, { message: 'min must be <= max', path: ['min'] })
  .openapi('TrlRange', { description: 'Technology Readiness Level range, 1..9' });
export type TrlRange = z.infer<typeof TrlRange>;

export const EurRange = z
  .object({ min: z.number().int().nonnegative(), max: z.number().int().nonnegative() })
  .refine((r) => r.min <= r.max, { message: 'min must be <= max', path: ['min'] })
  .openapi('EurRange');
export type EurRange = z.infer<typeof EurRange>;

/** A need (what an organisation looks for) or an offer (what it brings). */
export const NeedOffer = z
  .object({
    id: lineText({ min: 1, max: 64 }).optional(),
    type: NeedOfferType,
    title: lineText({ min: 3, max: 200 }),
    text: multilineText({ max: 5000 }).default(''),
    lang: Language.default('en'),
    keywords: z
      .array(lineText({ min: 1, max: 60 }))
      .max(30)
      .default([]),
    s3Areas: z.array(S3Area).max(8).default([]),
    trl: TrlRange.optional(),
    /** For funding needs: the amount sought. For funding offers: the ticket offered. */
    amountEur: EurRange.optional(),
  })
  .openapi('NeedOffer');
export type NeedOffer = z.infer<typeof NeedOffer>;

export const InvestorProfile = z
  .object({
    stages: z.array(InvestmentStage).min(1),
    ticketEur: EurRange,
    sectors: z.array(Specialty).default([]),
    s3Areas: z.array(S3Area).default([]),
    /** Provinces or `OUT`; empty means "anywhere". */
    geography: z.array(Province).default([]),
  })
  .openapi('InvestorProfile');
export type InvestorProfile = z.infer<typeof InvestorProfile>;

export const Location = z
  .object({
    province: Province,
    city: lineText({ min: 1, max: 100 }),
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
  })
  .openapi('Location');
export type Location = z.infer<typeof Location>;

export const Contact = z
  .object({
    name: lineText({ min: 1, max: 120 }),
    role: lineText({ max: 120 }).optional(),
    email: z.string().trim().email().max(200),
    phone: lineText({ max: 40 }).optional(),
  })
  .openapi('Contact');
export type Contact = z.infer<typeof Contact>;

/** Italian VAT number (partita IVA): 11 digits, optional IT prefix. Normalised to the digits. */
export const VatNumber = z
  .string()
  .trim()
  .transform((s) => s.replace(/^IT/i, '').replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{11}$/, 'must be 11 digits (partita IVA)'));

/** Fields a client writes. Server-owned fields (id, version, timestamps) are not accepted here. */
const OrganisationFields = z.object({
  kind: OrganisationKind,
  subtype: OrganisationSubtype,
  legalName: lineText({ min: 2, max: 200 }),
  description: z.array(LocalizedText).max(2).default([]),
  website: lineText({ max: 300 }).url().optional(),
  vatNumber: VatNumber.optional(),
  location: Location,
  size: OrganisationSize.optional(),
  foundedYear: z.number().int().min(1000).max(2100).optional(),
  s3Areas: z.array(S3Area).min(1).max(8),
  specialties: z.array(Specialty).max(30).default([]),
  needs: z.array(NeedOffer).max(30).default([]),
  offers: z.array(NeedOffer).max(30).default([]),
  trl: TrlRange.optional(),
  /** A company's current funding stage (matched against investors' stages). */
  stage: InvestmentStage.optional(),
  investor: InvestorProfile.optional(),
  languages: z.array(Language).min(1).default(['it']),
  contacts: z.array(Contact).max(20).default([]),
});

function checkKindRules(o: { kind: string; subtype: string; investor?: unknown }, ctx: z.RefinementCtx): void {
  const allowed = SUBTYPES_BY_KIND[o.kind as OrganisationKind] as readonly string[] | undefined;
  if (allowed && !allowed.includes(o.subtype)) {
    ctx.addIssue({ code: 'custom', path: ['subtype'], message: `subtype must be one of ${allowed.join(', ')} for kind ${o.kind}` });
  }
  if (o.kind === 'investor' && !o.investor) {
    ctx.addIssue({ code: 'custom', path: ['investor'], message: 'investor profile is required for kind investor' });
  }
  if (o.kind !== 'investor' && o.investor) {
    ctx.addIssue({ code: 'custom', path: ['investor'], message: 'investor profile is only allowed for kind investor' });
  }
}

export const OrganisationInput = OrganisationFields.superRefine(checkKindRules).openapi('OrganisationInput');
export type OrganisationInput = z.infer<typeof OrganisationInput>;

/** PATCH body: any subset of the client fields; kind rules are re-checked on the merged result. */
// Defaults are stripped first: an absent field in a PATCH means "unchanged", never "reset".
const patchShape = Object.fromEntries(
  Object.entries(OrganisationFields.shape).map(([key, schema]) => [key, (schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : schema).optional()]),
) as { [K in keyof typeof OrganisationFields.shape]: z.ZodOptional<z.ZodType<z.output<(typeof OrganisationFields.shape)[K]>>> };
export const OrganisationPatch = z
  .object(patchShape)
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'patch must change at least one field' })
  .openapi('OrganisationPatch');
export type OrganisationPatch = z.infer<typeof OrganisationPatch>;

const ServerFields = z.object({
  id: z.string().min(1),
  version: z.number().int().positive(),
  createdAt: z.string().datetime({ offset: true }),
  updatedAt: z.string().datetime({ offset: true }),
});

/** The whole organisation as the owner, hub staff and admins see it. */
export const Organisation = OrganisationFields.extend(ServerFields.shape).openapi('Organisation');
export type Organisation = z.infer<typeof Organisation>;

/** What everyone else (and every Kafka consumer) sees: no private contacts, no VAT number. */
export const PublicOrganisation = Organisation.omit({ contacts: true, vatNumber: true }).openapi('PublicOrganisation');
export type PublicOrganisation = z.infer<typeof PublicOrganisation>;

export function toPublicOrganisation(o: Organisation): PublicOrganisation {
  const { contacts: _contacts, vatNumber: _vat, ...rest } = o;
  return rest;
}

/** Re-validate the kind rules on a full object (used after merging a PATCH). */
export function checkOrganisationRules(o: { kind: string; subtype: string; investor?: unknown }): z.core.$ZodIssue[] {
  const issues: z.core.$ZodIssue[] = [];
  checkKindRules(o, { addIssue: (i: unknown) => issues.push(i as z.core.$ZodIssue) } as unknown as z.RefinementCtx);
  return issues;
}
