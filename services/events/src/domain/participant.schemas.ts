import { z } from '@lm/contracts';
import { isoDateTime } from './event.schemas';

/** Participants of an event and what they see of each other's organisation. */
export const PARTICIPANT_STATUSES = ['registered', 'validated', 'withdrawn'] as const;
export const Availability = z.record(z.string(), z.array(z.number().int().nonnegative()).max(500)).openapi('Availability', {
  description: 'sessionId → slot numbers the participant can attend; a missing session means all slots, [] means not attending',
});

export const ParticipantRegistration = z
  .object({
    organisationId: z.string().trim().min(1).max(100),
    type: z.string().trim().min(1).max(40).optional(),
    vip: z.boolean().default(false),
    visible: z.boolean().default(true),
    availability: Availability.default({}),
  })
  .openapi('ParticipantRegistration');
export const ParticipantPatch = z
  .object({
    status: z.enum(PARTICIPANT_STATUSES).optional(),
    type: z.string().trim().min(1).max(40).optional(),
    vip: z.boolean().optional(),
    visible: z.boolean().optional(),
    availability: Availability.optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'patch must change at least one field')
  .openapi('ParticipantPatch');
export type ParticipantPatch = z.infer<typeof ParticipantPatch>;

export const OrgSummary = z
  .object({
    name: z.string(),
    kind: z.string(),
    subtype: z.string().optional(),
    province: z.string().optional(),
    s3Areas: z.array(z.string()),
    specialties: z.array(z.string()),
    description: z.string().optional(),
  })
  .openapi('OrganisationSummary');
export type OrgSummary = z.infer<typeof OrgSummary>;

/** What participants see of each other (no availability, VIP flag, visibility or status). */
export const ParticipantCard = z
  .object({ id: z.string(), eventId: z.string(), organisationId: z.string(), type: z.string(), organisation: OrgSummary })
  .openapi('ParticipantCard', { description: 'What participants see of each other' });
export type ParticipantCard = z.infer<typeof ParticipantCard>;
export const Participant = ParticipantCard.extend({
  availability: Availability,
  vip: z.boolean(),
  visible: z.boolean(),
  status: z.enum(PARTICIPANT_STATUSES),
  version: z.number().int(),
  registeredAt: isoDateTime,
}).openapi('Participant', { description: 'The full record: staff see it for everyone, a participant for itself' });
export type Participant = z.infer<typeof Participant>;

/** An organisation as the events service keeps it from the profiles topic (the source of `OrgSummary`). */
export interface OrgSnapshot {
  id: string;
  version: number;
  deleted: boolean;
  organisation?: Record<string, unknown>;
}
