import type { Principal } from '@lm/auth';
import { loadEvent, requireSelfOrStaff } from './access';
import { csvDocument } from './csv';
import { inOrder } from './in-order';
import { buildCalendar } from './ical';
import { agendasFromSchedule, agendasOfEvent } from './agenda.projection';
import type { StoredAgenda, UseCaseContext } from './events.ports';
import type { AgendaItem } from './agenda.schemas';
import type { Participant } from './participant.schemas';
import { placementTimes } from './schedule.usecases';
import { sessionSlots } from './scheduler';

/**
 * The participant's agenda from the schedule document itself: only while the stored agendas are
 * behind it (a change being applied, or interrupted). Counterparts are read by id.
 */
async function agendaFromScheduleDocument(ctx: UseCaseContext, eventId: string, me: Participant): Promise<StoredAgenda | undefined> {
  const doc = await ctx.repos.schedules.get(eventId);
  if (!doc) return undefined;
  const meetings = [...(doc.published?.meetings ?? []), ...(doc.cancelled?.meetings ?? [])].filter((m) => m.a === me.id || m.b === me.id);
  const counterpartIds = [...new Set(meetings.map((m) => (m.a === me.id ? m.b : m.a)))];
  const counterparts = await Promise.all(counterpartIds.map((id) => ctx.repos.participants.get(id)));
  const known = new Map([me, ...counterparts.filter((p): p is Participant => !!p)].map((p) => [p.id, p]));
  return agendasFromSchedule(doc, known, new Set([me.id]))[0];
}

/**
 * A participant's published meetings in time order (staff may read anyone's); after the event
 * is cancelled, the meetings it had, marked cancelled. One small stored document (the
 * participant's agenda, kept in step with the schedule); while that is behind the schedule, the
 * schedule document itself, and the stored agendas are rebuilt.
 */
export async function agendaOf(ctx: UseCaseContext, actor: Principal, eventId: string, participantId: string) {
  const [ev, me, stored] = await inOrder([
    loadEvent(ctx, eventId),
    requireSelfOrStaff(ctx, eventId, participantId, actor),
    ctx.repos.agendas.get(eventId, participantId),
  ] as const);
  let agenda = stored.agenda;
  if (!stored.current) {
    agenda = await agendaFromScheduleDocument(ctx, eventId, me);
    // Not awaited: this answer is already right; the rebuild makes the next reads fast again.
    ctx.repos.agendas
      .repair(eventId, agendasOfEvent(ctx, eventId))
      .catch((e: unknown) => ctx.log('agenda rebuild failed; the next read retries', { eventId, error: String(e) }));
  }
  const place = ev.online ? 'Online' : (ev.venue ?? '');
  const items: AgendaItem[] = (agenda?.entries ?? []).map((e) => {
    const session = ev.sessions.find((s) => s.id === e.sessionId)!;
    const slot = sessionSlots(session).find((s) => s.slot === e.slot)!;
    return {
      meetingId: e.meetingId,
      sessionId: e.sessionId,
      ...(session.name ? { sessionName: session.name } : {}),
      date: session.date,
      start: slot.start,
      end: slot.end,
      ...placementTimes(ev, e),
      timeZone: ev.timeZone,
      table: e.table,
      location: `${place}, Table ${e.table}`,
      status: e.status,
      counterpart: e.counterpart,
    };
  });
  items.sort((x, y) => x.startsAt.localeCompare(y.startsAt));
  // Calendars apply a change to a meeting (same UID) only when its SEQUENCE grows: the schedule number does.
  return { event: ev, participant: me, items, sequence: agenda?.sequence ?? 0 };
}

export function agendaIcs(agenda: Awaited<ReturnType<typeof agendaOf>>, stampMs: number): string {
  const { event, items } = agenda;
  return buildCalendar({
    name: `${event.title} — ${agenda.participant.organisation.name}`,
    timeZone: event.timeZone,
    stampMs,
    events: items.map((i) => ({
      // Stable: the same meeting keeps its UID across re-publishes, so calendars update it in place.
      uid: `${i.meetingId}@events.lombardy-match`,
      date: i.date,
      start: i.start,
      end: i.end,
      summary: `${i.status === 'cancelled' ? 'Cancelled: ' : ''}B2B meeting: ${i.counterpart.name}`,
      status: i.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
      sequence: agenda.sequence,
      location: i.location,
      description: `${event.title}\nMeeting with ${i.counterpart.name} (${i.counterpart.type})\nTable ${i.table}`,
    })),
  });
}

export function agendaCsv(agenda: Awaited<ReturnType<typeof agendaOf>>): string {
  const head = [
    'date',
    'start',
    'end',
    'time_zone',
    'session',
    'table',
    'counterpart',
    'counterpart_type',
    'counterpart_organisation_id',
    'meeting_id',
    'status',
  ];
  const rows = agenda.items.map((i) => [
    i.date,
    i.start,
    i.end,
    i.timeZone,
    i.sessionName ?? i.sessionId,
    i.table,
    i.counterpart.name,
    i.counterpart.type,
    i.counterpart.organisationId,
    i.meetingId,
    i.status,
  ]);
  return csvDocument(head, rows);
}
