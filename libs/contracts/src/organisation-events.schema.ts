import { envelopeSchema } from './envelope.schema';
import { PublicOrganisation } from './organisation.schema';
import { z } from './zod';

/**
 * `profiles.organisations.v1`, keyed by organisation id. Each event carries the full public
 * snapshot and the profile `version`, so a consumer can apply events idempotently and ignore
 * a late, older one.
 */
export const ORGANISATION_EVENT_TYPES = { upserted: 'organisation.upserted', deleted: 'organisation.deleted' } as const;

export const OrganisationUpsertedData = z
  .object({ organisation: PublicOrganisation, version: z.number().int().positive() })
  .openapi('OrganisationUpsertedData');
export const OrganisationDeletedData = z
  .object({ id: z.string().min(1), version: z.number().int().positive(), deletedAt: z.string().datetime({ offset: true }) })
  .openapi('OrganisationDeletedData');

export const OrganisationUpserted = envelopeSchema(ORGANISATION_EVENT_TYPES.upserted, OrganisationUpsertedData);
export const OrganisationDeleted = envelopeSchema(ORGANISATION_EVENT_TYPES.deleted, OrganisationDeletedData);
export const OrganisationEvent = z.discriminatedUnion('type', [OrganisationUpserted, OrganisationDeleted]);
export type OrganisationUpserted = z.infer<typeof OrganisationUpserted>;
export type OrganisationDeleted = z.infer<typeof OrganisationDeleted>;
export type OrganisationEvent = z.infer<typeof OrganisationEvent>;
