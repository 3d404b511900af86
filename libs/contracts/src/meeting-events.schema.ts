import { envelopeSchema } from './envelope.schema';
import { z } from './zod';

/**
 * `events.meetings.v1`, keyed by **event id** (so all changes of one brokerage event stay in
 * order on one partition). Consumers rebuild an event's agenda by applying `scheduled` /
 * `rescheduled` as upserts of `meetingId` and `cancelled` as a removal.
 */
export const MEETING_EVENT_TYPES = {
  requested: 'meeting.requested',
  accepted: 'meeting.accepted',
  declined: 'meeting.declined',
  scheduled: 'meeting.scheduled',
  rescheduled: 'meeting.rescheduled',
  cancelled: 'meeting.cancelled',
  checkedIn: 'meeting.checked_in',
  noShow: 'meeting.no_show',
  feedbackGiven: 'meeting.feedback_given',
} as const;

export const MEETING_PRIORITIES = ['must_meet', 'would_like'] as const;
export const MeetingPriority = z.enum(MEETING_PRIORITIES);
export type MeetingPriority = z.infer<typeof MeetingPriority>;

export const MEETING_OUTCOMES = ['did_not_take_place', 'insufficient_interest', 'informative_no_cooperation', 'cooperation_possible'] as const;
export const MeetingOutcome = z.enum(MEETING_OUTCOMES);
export type MeetingOutcome = z.infer<typeof MeetingOutcome>;

export const MEETING_FOLLOW_UPS = ['cooperation_agreement_reached', 'in_negotiation', 'no_follow_up'] as const;
export const MeetingFollowUp = z.enum(MEETING_FOLLOW_UPS);
export type MeetingFollowUp = z.infer<typeof MeetingFollowUp>;

const isoDateTime = z.string().datetime({ offset: true });

const Party = z.object({ participantId: z.string().min(1), organisationId: z.string().min(1) });

const RequestData = z.object({
  eventId: z.string().min(1),
  requestId: z.string().min(1),
  from: Party,
  to: Party,
  priority: MeetingPriority,
});

export const MeetingRequestedData = RequestData.extend({
  message: z.string().max(2000).optional(),
  /** Pending requests stop counting for the scheduler after this instant. */
  expiresAt: isoDateTime.optional(),
  /** True when the event auto-accepts requests (an `accepted` event follows at once). */
  autoAccepted: z.boolean(),
}).openapi('MeetingRequestedData');

export const MeetingDecisionData = RequestData.extend({
  decidedBy: z.string().min(1),
}).openapi('MeetingDecisionData');

/** Where and when a meeting takes place; times are ISO instants, `timeZone` is the event's IANA zone. */
const Placement = z.object({
  sessionId: z.string().min(1),
  slot: z.number().int().nonnegative(),
  table: z.number().int().positive(),
  startsAt: isoDateTime,
  endsAt: isoDateTime,
});

const MeetingRef = z.object({
  eventId: z.string().min(1),
  meetingId: z.string().min(1),
  participants: z.tuple([Party, Party]),
});

export const MeetingScheduledData = MeetingRef.extend(Placement.shape)
  .extend({
    timeZone: z.string().min(1),
    /** Why the pair meets: a request, a matching suggestion, or an organiser's manual edit. */
    source: z.enum(['request', 'suggestion', 'manual']),
    scheduleVersion: z.number().int().positive(),
  })
  .openapi('MeetingScheduledData');

export const MeetingRescheduledData = MeetingScheduledData.extend({ previous: Placement }).openapi('MeetingRescheduledData');

export const MeetingCancelledData = MeetingRef.extend({
  /**
   * `participant_withdrawn` (staff or the participant withdrew it), `organisation_deleted` (its
   * profile was deleted), `participant_unavailable` (it marked the slot unavailable),
   * `slot_unavailable` (staff removed the slot or the table from the event): cancelled at once.
   */
  reason: z.enum([
    'removed_by_organiser',
    'replanned',
    'participant_withdrawn',
    'organisation_deleted',
    'participant_unavailable',
    'slot_unavailable',
    'event_cancelled',
  ]),
  scheduleVersion: z.number().int().positive(),
}).openapi('MeetingCancelledData');

export const MeetingAttendanceData = MeetingRef.extend({
  /** The participant who checked in / did not show up. */
  participantId: z.string().min(1),
  recordedBy: z.string().min(1),
}).openapi('MeetingAttendanceData');

export const MeetingFeedbackData = MeetingRef.extend({
  participantId: z.string().min(1),
  outcome: MeetingOutcome.optional(),
  followUp: MeetingFollowUp.optional(),
}).openapi('MeetingFeedbackData');

export const MeetingRequested = envelopeSchema(MEETING_EVENT_TYPES.requested, MeetingRequestedData);
export const MeetingAccepted = envelopeSchema(MEETING_EVENT_TYPES.accepted, MeetingDecisionData);
export const MeetingDeclined = envelopeSchema(MEETING_EVENT_TYPES.declined, MeetingDecisionData);
export const MeetingScheduled = envelopeSchema(MEETING_EVENT_TYPES.scheduled, MeetingScheduledData);
export const MeetingRescheduled = envelopeSchema(MEETING_EVENT_TYPES.rescheduled, MeetingRescheduledData);
export const MeetingCancelled = envelopeSchema(MEETING_EVENT_TYPES.cancelled, MeetingCancelledData);
export const MeetingCheckedIn = envelopeSchema(MEETING_EVENT_TYPES.checkedIn, MeetingAttendanceData);
export const MeetingNoShow = envelopeSchema(MEETING_EVENT_TYPES.noShow, MeetingAttendanceData);
export const MeetingFeedbackGiven = envelopeSchema(MEETING_EVENT_TYPES.feedbackGiven, MeetingFeedbackData);

export const MeetingEvent = z.discriminatedUnion('type', [
  MeetingRequested,
  MeetingAccepted,
  MeetingDeclined,
  MeetingScheduled,
  MeetingRescheduled,
  MeetingCancelled,
  MeetingCheckedIn,
  MeetingNoShow,
  MeetingFeedbackGiven,
]);
export type MeetingEvent = z.infer<typeof MeetingEvent>;

/** message name → envelope schema, for `buildAsyncApi`. */
export const MEETING_EVENT_SCHEMAS = {
  [MEETING_EVENT_TYPES.requested]: MeetingRequested,
  [MEETING_EVENT_TYPES.accepted]: MeetingAccepted,
  [MEETING_EVENT_TYPES.declined]: MeetingDeclined,
  [MEETING_EVENT_TYPES.scheduled]: MeetingScheduled,
  [MEETING_EVENT_TYPES.rescheduled]: MeetingRescheduled,
  [MEETING_EVENT_TYPES.cancelled]: MeetingCancelled,
  [MEETING_EVENT_TYPES.checkedIn]: MeetingCheckedIn,
  [MEETING_EVENT_TYPES.noShow]: MeetingNoShow,
  [MEETING_EVENT_TYPES.feedbackGiven]: MeetingFeedbackGiven,
} as const;
