import { MeetingPriority, z } from '@lm/contracts';
import { isoDateTime } from './event.schemas';

/** Meetings, the scheduler's runs and reports, drafts, publications and staff edits. */
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
