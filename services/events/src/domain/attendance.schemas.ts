import { MeetingFollowUp, MeetingOutcome, z } from '@lm/contracts';
import { isoDateTime } from './event.schemas';

/** What happens at and after a meeting: attendance, feedback, and the event's analytics of both. */
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
