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
    id: z
      .string()
      .trim()
      .min(1)
      .max(40)
      .regex(/^[\w-]+$/)
      .optional(),
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
  participantTypes: z
    .array(lineText({ min: 1, max: 40 }))
    .min(1)
    .max(20)
    .default(['company', 'research_centre', 'investor']),
  /** Unordered pairs of participant types that may meet; omitted = everyone may meet everyone. */
  meetRules: z
    .array(z.object({ a: z.string(), b: z.string() }))
    .max(200)
    .optional(),
  caps: z.object({ perSession: z.number().int().min(0).max(100).optional(), total: z.number().int().min(0).max(200).optional() }).default({}),
  requestMode: RequestMode.default('receiver_accepts'),
  /** Pending requests stop counting for the scheduler after this many hours. */
  requestExpiryHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(72),
  registration: z.object({ opensAt: isoDateTime, closesAt: isoDateTime }).optional(),
  /** Fairness target of the scheduler. */
  minMeetings: z.number().int().min(0).max(20).default(2),
});

function checkEventRules(
  e: { sessions: SessionInput[]; participantTypes: string[]; meetRules?: { a: string; b: string }[]; venue?: string; online: boolean },
  ctx: z.RefinementCtx,
) {
  const ids = e.sessions.map((s, i) => s.id ?? `s${i + 1}`);
  if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['sessions'], message: 'session ids must be unique' });
  for (const [i, r] of (e.meetRules ?? []).entries()) {
    for (const t of [r.a, r.b])
      if (!e.participantTypes.includes(t)) ctx.addIssue({ code: 'custom', path: ['meetRules', i], message: `unknown participant type ${t}` });
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
export const EventCancellation = z
  .object({ reason: lineText({ max: 500 }).optional() })
  .strict()
  .openapi('EventCancellation');

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

export const Meeting = z
  .object({
    id: z.string(),
    sessionId: z.string(),
    slot: z.number().int().nonnegative(),
    table: z.number().int().positive(),
    a: z.string().describe('participant id'),
    b: z.string().describe('participant id'),
    source: z.enum(['request', 'suggestion', 'manual']),
    requestIds: z.array(z.string()),
    value: z.number(),
  })
  .openapi('Meeting');
export type Meeting = z.infer<typeof Meeting>;

export const ReplanOffer = z
  .object({
    /** Places of the published meetings cancelled since the last schedule run, with the pair that had them. */
    freed: z.array(
      z.object({ meetingId: z.string(), sessionId: z.string(), slot: z.number().int(), table: z.number().int(), participants: z.array(z.string()) }),
    ),
    offeredAt: isoDateTime,
    /** The call that takes the offer: a draft keeping every other published meeting where it is (pinned) and filling the freed places. */
    generate: z.object({ method: z.literal('POST'), path: z.string() }),
  })
  .openapi('ReplanOffer', { description: 'Open until the next schedule run' });
export type ReplanOffer = z.infer<typeof ReplanOffer>;

const UNSCHEDULED_REASONS = [
  'declined',
  'expired',
  'unknown_participant',
  'not_allowed_by_rules',
  'no_shared_free_slot',
  'cap_reached',
  'no_table',
  'lost_to_higher_value',
] as const;
/** The scheduler's run report as the API shows it. */
export const RunReport = z
  .object({
    objective: z.number(),
    upperBound: z.number(),
    percentOfBound: z.number(),
    greedyObjective: z.number(),
    meetings: z.number().int(),
    unscheduled: z.array(z.object({ requestId: z.string(), from: z.string(), to: z.string(), priority: MeetingPriority, reason: z.enum(UNSCHEDULED_REASONS) })),
    unscheduledByReason: z.partialRecord(z.enum(UNSCHEDULED_REASONS), z.number().int()),
    meetingsPerParticipant: z.object({
      min: z.number(),
      median: z.number(),
      max: z.number(),
      mean: z.number(),
      participants: z.number().int(),
      belowTarget: z.number().int(),
    }),
    droppedPinned: z.array(
      z.object({
        pin: z.object({
          meetingId: z.string().optional(),
          a: z.string(),
          b: z.string(),
          sessionId: z.string(),
          slot: z.number().int(),
          table: z.number().int(),
        }),
        reason: z.string(),
      }),
    ),
    runtimeMs: z.number(),
    iterations: z.number().int(),
    stoppedBy: z.enum(['converged', 'time_budget', 'iteration_budget']),
    seed: z.number().int(),
    bound: z
      .object({
        value: z.number(),
        method: z.enum(['lp', 'combinatorial']).describe('lp: the LP relaxation solved within its budget gave the tighter bound'),
        combinatorial: z.number(),
        lp: z.object({ value: z.number().optional(), status: z.string(), ms: z.number(), columns: z.number().int(), rows: z.number().int() }).optional(),
      })
      .describe('Which bound upperBound is, and what each candidate gave'),
  })
  .openapi('RunReport');

export const ScheduleView = z
  .object({
    id: z.string(),
    eventId: z.string(),
    version: z.number().int(),
    draft: z.object({ meetings: z.array(Meeting), report: RunReport.optional(), generatedAt: isoDateTime, basedOnPublished: z.number().int() }).nullable(),
    published: z.object({ meetings: z.array(Meeting), publishedAt: isoDateTime, number: z.number().int() }).nullable(),
    cancelled: z
      .object({ meetings: z.array(Meeting), cancelledAt: isoDateTime })
      .optional()
      .describe('Published meetings that were cancelled — with the event, or at once by a withdrawal or unavailability (agendas list them as cancelled)'),
    replanOffer: ReplanOffer.nullable()
      .optional()
      .describe('Published meetings cancelled at once (withdrawal, unavailability) leave this offer until the next run'),
  })
  .openapi('Schedule');
/** Stored as shown; a draft's report is the scheduler's `RunReport`, which must fit the schema above (tsc checks it where the draft is built). */
export type ScheduleDoc = z.infer<typeof ScheduleView>;
export const GeneratedSchedule = z.object({ version: z.number().int(), report: RunReport, meetings: z.array(Meeting) }).openapi('GeneratedSchedule');
export const PublishedSchedule = z
  .object({
    version: z.number().int(),
    published: ScheduleView.shape.published.unwrap(),
    events: z.number().int().describe('meeting events published with it'),
  })
  .openapi('PublishedSchedule');
export const ScheduleRun = z
  .object({
    running: z.boolean(),
    eventId: z.string(),
    state: z
      .enum(['preparing', 'queued', 'running'])
      .optional()
      .describe('preparing: reading the participants and requests, or saving the draft; queued: waiting for a free worker'),
    startedAt: isoDateTime.optional(),
    budgetMs: z.number().int().optional(),
    progress: z.object({ phase: z.string(), objective: z.number(), iterations: z.number().int(), elapsedMs: z.number() }).optional(),
    lastRun: z
      .object({
        finishedAt: isoDateTime,
        outcome: z.enum(['draft_saved', 'failed']),
        version: z.number().int().optional().describe('the schedule version holding the new draft (If-Match of the publish)'),
        meetings: z.number().int().optional(),
        objective: z.number().optional(),
        percentOfBound: z.number().optional(),
        error: z.object({ code: z.string(), message: z.string() }).optional(),
      })
      .optional()
      .describe('How the last run started with wait=false ended (this service instance)'),
  })
  .openapi('ScheduleRun');

export const SchedulePublication = z
  .object({
    running: z.boolean(),
    eventId: z.string(),
    startedAt: isoDateTime.optional(),
    expectedVersion: z.number().int().optional().describe('the schedule version being published (the If-Match of the call)'),
    lastPublication: z
      .object({
        finishedAt: isoDateTime,
        outcome: z.enum(['published', 'failed']),
        version: z.number().int().optional().describe('the schedule version after the publish'),
        number: z.number().int().optional().describe("the published schedule's number"),
        meetings: z.number().int().optional(),
        events: z.number().int().optional().describe('meeting events written with it'),
        error: z.object({ code: z.string(), message: z.string() }).optional().describe('precondition_failed: the schedule changed since the If-Match version'),
      })
      .optional()
      .describe('How the last publication started with wait=false ended (this service instance)'),
  })
  .openapi('SchedulePublication');

export const ScheduleEdit = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('move'),
    meetingId: z.string().min(1),
    sessionId: z.string().min(1),
    slot: z.number().int().nonnegative(),
    table: z.number().int().positive(),
  }),
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

export const Attendance = z
  .object({
    id: z.string(),
    eventId: z.string(),
    meetingId: z.string(),
    participantId: z.string(),
    status: z.enum(['checked_in', 'no_show']),
    recordedBy: z.string(),
    version: z.number().int(),
  })
  .openapi('Attendance');
export type Attendance = z.infer<typeof Attendance>;
export const Feedback = z
  .object({
    id: z.string(),
    eventId: z.string(),
    meetingId: z.string(),
    participantId: z.string(),
    outcome: MeetingOutcome.optional(),
    followUp: MeetingFollowUp.optional(),
    version: z.number().int(),
    updatedAt: isoDateTime,
  })
  .openapi('Feedback');
export type Feedback = z.infer<typeof Feedback>;
const rate = z.number().min(0).max(1);
export const EventAnalytics = z
  .object({
    participants: z.number().int().describe('validated participants'),
    requests: z.object({ total: z.number().int(), accepted: z.number().int(), declined: z.number().int() }),
    meetingsScheduled: z.number().int(),
    meetingsHeld: z.number().int(),
    noShowRate: rate,
    feedback: z.object({ given: z.number().int(), outcomes: z.record(z.string(), z.number().int()), followUps: z.record(z.string(), z.number().int()) }),
    cooperationRate: rate,
    agreementRate: rate,
    perTypePair: z
      .record(z.string(), z.object({ meetings: z.number().int(), held: z.number().int() }))
      .describe('"typeA↔typeB" → meetings and how many were held'),
  })
  .openapi('EventAnalytics');
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
export const AgendaItem = z
  .object({
    meetingId: z.string(),
    sessionId: z.string(),
    sessionName: z.string().optional(),
    date: z.string(),
    start: z.string(),
    end: z.string(),
    startsAt: isoDateTime,
    endsAt: isoDateTime,
    timeZone: z.string(),
    table: z.number().int(),
    location: z.string(),
    status: z.enum(['scheduled', 'cancelled']).describe('`cancelled` once the event is cancelled: calendars that imported the meeting drop it'),
    counterpart: z.object({ participantId: z.string(), organisationId: z.string(), name: z.string(), type: z.string() }),
  })
  .openapi('AgendaItem');
export type AgendaItem = z.infer<typeof AgendaItem>;
export const Agenda = z
  .object({ eventId: z.string(), eventStatus: z.enum(EVENT_STATUSES), participantId: z.string(), timeZone: z.string(), items: z.array(AgendaItem) })
  .openapi('Agenda');

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
