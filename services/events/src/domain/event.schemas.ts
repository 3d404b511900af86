import { lineText, MeetingFollowUp, MeetingOutcome, MeetingPriority, multilineText, z } from '@lm/contracts';

/** HTTP/stored shapes of the events service, written once (zod → validation + OpenAPI). */
const isIanaZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');
const isoDateTime = z.string().datetime({ offset: true });

export const SessionInput = z
  .object({
    id: z.string().trim().min(1).max(40).regex(/^[\w-]+$/).optional(),
    name: lineText({ max: 120 }).optional(),
    // iso.date checks the calendar as well as the shape: 2027-02-30 passed the old regex and was stored.
    date: z.iso.date({ message: 'must be a calendar date YYYY-MM-DD' }),
    start: hhmm,
    end: hhmm,
    slotMinutes: z.number().int().min(5).max(240),
    breakSlots: z.array(z.number().int().nonnegative()).max(50).default([]),
    tables: z.number().int().min(1).max(2000),
  })
  .refine((s) => s.start < s.end, { message: 'start must be before end', path: ['end'] })
  .openapi('SessionInput');
export type SessionInput = z.infer<typeof SessionInput>;
export type Session = SessionInput & { id: string };

export const RequestMode = z.enum(['receiver_accepts', 'auto_accept']);

const EventFields = z.object({
  title: lineText({ min: 3, max: 200 }),
  venue: lineText({ max: 300 }).optional(),
  online: z.boolean().default(false),
  timeZone: z.string().refine(isIanaZone, 'must be an IANA time zone, e.g. Europe/Rome'),
  sessions: z.array(SessionInput).min(1).max(20),
  participantTypes: z.array(lineText({ min: 1, max: 40 })).min(1).max(20).default(['company', 'research_centre', 'investor']),
  /** Unordered pairs of participant types that may meet; omitted = everyone may meet everyone. */
  meetRules: z.array(z.object({ a: z.string(), b: z.string() })).max(200).optional(),
  caps: z.object({ perSession: z.number().int().min(0).max(100).optional(), total: z.number().int().min(0).max(200).optional() }).default({}),
  requestMode: RequestMode.default('receiver_accepts'),
  /** Pending requests stop counting for the scheduler after this many hours. */
  requestExpiryHours: z.number().int().min(1).max(24 * 90).default(72),
  registration: z.object({ opensAt: isoDateTime, closesAt: isoDateTime }).optional(),
  /** Fairness target of the scheduler. */
  minMeetings: z.number().int().min(0).max(20).default(2),
});

function checkEventRules(e: { sessions: SessionInput[]; participantTypes: string[]; meetRules?: { a: string; b: string }[]; venue?: string; online: boolean }, ctx: z.RefinementCtx) {
  const ids = e.sessions.map((s, i) => s.id ?? `s${i + 1}`);
  if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['sessions'], message: 'session ids must be unique' });
  for (const [i, r] of (e.meetRules ?? []).entries()) {
    for (const t of [r.a, r.b]) if (!e.participantTypes.includes(t)) ctx.addIssue({ code: 'custom', path: ['meetRules', i], message: `unknown participant type ${t}` });
  }
  if (!e.online && !e.venue) ctx.addIssue({ code: 'custom', path: ['venue'], message: 'venue is required unless the event is online' });
}

export const EventInput = EventFields.superRefine(checkEventRules).openapi('EventInput');
export type EventInput = z.infer<typeof EventInput>;
export const EventPatch = EventFields.partial().strict().openapi('EventPatch');
export type EventPatch = z.infer<typeof EventPatch>;

export const EVENT_STATUSES = ['active', 'cancelled'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export interface EventDoc extends Omit<EventInput, 'sessions'> {
  id: string;
  sessions: Session[];
  /** Absent on events stored before cancellation existed: read as 'active'. */
  status?: EventStatus;
  cancelledAt?: string;
  cancellationReason?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}
export const EventCancellation = z.object({ reason: lineText({ max: 500 }).optional() }).strict().openapi('EventCancellation');

export const EventView = EventFields.extend({
  id: z.string(),
  sessions: z.array(SessionInput),
  status: z.enum(EVENT_STATUSES),
  cancelledAt: isoDateTime.optional(),
  cancellationReason: z.string().optional(),
  version: z.number().int(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
}).openapi('Event');

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

export interface OrgSummary {
  name: string;
  kind: string;
  subtype?: string;
  province?: string;
  s3Areas: string[];
  specialties: string[];
  description?: string;
}
export interface Participant {
  id: string;
  eventId: string;
  organisationId: string;
  type: string;
  organisation: OrgSummary;
  availability: Record<string, number[]>;
  vip: boolean;
  visible: boolean;
  status: (typeof PARTICIPANT_STATUSES)[number];
  version: number;
  registeredAt: string;
}

/** What participants see of each other (no availability, VIP flag, visibility or status). */
export interface ParticipantCard {
  id: string;
  eventId: string;
  organisationId: string;
  type: string;
  organisation: OrgSummary;
}

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
export interface MeetingRequest {
  id: string;
  eventId: string;
  from: string;
  to: string;
  fromOrganisationId: string;
  toOrganisationId: string;
  message?: string;
  priority: 'must_meet' | 'would_like';
  status: (typeof REQUEST_STATUSES)[number];
  expiresAt?: string;
  createdAt: string;
  decidedAt?: string;
  version: number;
}

export interface Meeting {
  id: string;
  sessionId: string;
  slot: number;
  table: number;
  a: string;
  b: string;
  source: 'request' | 'suggestion' | 'manual';
  requestIds: string[];
  value: number;
}
export const ReplanOffer = z
  .object({
    /** Places of the published meetings cancelled since the last schedule run, with the pair that had them. */
    freed: z.array(z.object({ meetingId: z.string(), sessionId: z.string(), slot: z.number().int(), table: z.number().int(), participants: z.array(z.string()) })),
    offeredAt: isoDateTime,
    /** The call that takes the offer: a draft keeping every other published meeting where it is (pinned) and filling the freed places. */
    generate: z.object({ method: z.literal('POST'), path: z.string() }),
  })
  .openapi('ReplanOffer', { description: 'Open until the next schedule run' });
export type ReplanOffer = z.infer<typeof ReplanOffer>;

export interface ScheduleDoc {
  id: string;
  eventId: string;
  version: number;
  draft: { meetings: Meeting[]; report?: unknown; generatedAt: string; basedOnPublished: number } | null;
  published: { meetings: Meeting[]; publishedAt: string; number: number } | null;
  /** Published meetings that were cancelled — with the event, or at once by a withdrawal or unavailability (agendas list them as cancelled). */
  cancelled?: { meetings: Meeting[]; cancelledAt: string };
  /** Published meetings cancelled at once (withdrawal, unavailability) leave this offer until the next run. */
  replanOffer?: ReplanOffer | null;
}

export const ScheduleEdit = z.discriminatedUnion('op', [
  z.object({ op: z.literal('move'), meetingId: z.string().min(1), sessionId: z.string().min(1), slot: z.number().int().nonnegative(), table: z.number().int().positive() }),
  z.object({ op: z.literal('swap'), meetingId: z.string().min(1), otherMeetingId: z.string().min(1) }),
  z.object({ op: z.literal('remove'), meetingId: z.string().min(1) }),
]);
export const ScheduleEdits = z.object({ edits: z.array(ScheduleEdit).min(1).max(100) }).openapi('ScheduleEdits');
export type ScheduleEdit = z.infer<typeof ScheduleEdit>;

export const AttendanceInput = z.object({ participantId: z.string().min(1) }).openapi('AttendanceInput');
export const FeedbackInput = z
  .object({ outcome: MeetingOutcome.optional(), followUp: MeetingFollowUp.optional() })
  .refine((f) => f.outcome || f.followUp, 'give an outcome or a follow-up')
  .openapi('FeedbackInput');
export type FeedbackInput = z.infer<typeof FeedbackInput>;

export interface Attendance {
  id: string;
  eventId: string;
  meetingId: string;
  participantId: string;
  status: 'checked_in' | 'no_show';
  recordedBy: string;
  version: number;
}
export interface Feedback {
  id: string;
  eventId: string;
  meetingId: string;
  participantId: string;
  outcome?: z.infer<typeof MeetingOutcome>;
  followUp?: z.infer<typeof MeetingFollowUp>;
  version: number;
  updatedAt: string;
}
export interface OrgSnapshot {
  id: string;
  version: number;
  deleted: boolean;
  organisation?: Record<string, unknown>;
}
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

/** Meet rules as the scheduler takes them (stored as objects: FerretDB refuses nested arrays). */
export function allowedTypePairs(ev: { meetRules?: { a: string; b: string }[] }): [string, string][] | null {
  return ev.meetRules ? ev.meetRules.map((r) => [r.a, r.b]) : null;
}
