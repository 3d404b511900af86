import { z } from '@lm/contracts';
import { EVENT_STATUSES, isoDateTime } from './event.schemas';

/** A participant's agenda as the API serves it. */
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
