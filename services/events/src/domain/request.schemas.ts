import { MeetingPriority, multilineText, z } from '@lm/contracts';
import { isoDateTime } from './event.schemas';

/** Meeting requests between participants, and the matching service's suggestions of whom to ask. */
export const MeetingRequestInput = z
  .object({
    to: z.string().min(1).describe('participant id of the receiver'),
    /** Staff only: send on behalf of this participant. */
    from: z.string().min(1).optional(),
    message: multilineText({ max: 2000 }).optional(),
    priority: MeetingPriority.default('would_like'),
  })
  .openapi('MeetingRequestInput');
export const REQUEST_STATUSES = ['pending', 'accepted', 'declined', 'expired'] as const;
export const MeetingRequest = z
  .object({
    id: z.string(),
    eventId: z.string(),
    from: z.string(),
    to: z.string(),
    fromOrganisationId: z.string(),
    toOrganisationId: z.string(),
    message: z.string().optional(),
    priority: MeetingPriority,
    status: z.enum(REQUEST_STATUSES),
    expiresAt: isoDateTime.optional(),
    createdAt: isoDateTime,
    decidedAt: isoDateTime.optional(),
    version: z.number().int(),
  })
  .openapi('MeetingRequest');
export type MeetingRequest = z.infer<typeof MeetingRequest>;

export const EventSuggestion = z
  .object({
    participantId: z.string(),
    organisationId: z.string(),
    name: z.string(),
    type: z.string(),
    score: z.number(),
    rank: z.number().int(),
    explanation: z.unknown(),
  })
  .openapi('EventSuggestion');
export interface StoredSuggestion {
  id: string;
  companyId: string;
  candidateId: string;
  candidateName: string;
  score: number;
  rank: number;
  explanation: unknown;
  withdrawn: boolean;
  occurredAt: string;
}
