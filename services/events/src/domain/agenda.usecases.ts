import type { Principal } from '@lm/auth';
import { loadEvent, requireSelfOrStaff } from './access';
import { csvDocument } from './csv';
import { inOrder } from './in-order';
import { buildCalendar } from './ical';
import type { UseCaseContext } from './events.ports';
import type { AgendaItem, Meeting } from './event.schemas';
import { placementTimes } from './schedule.usecases';
import { sessionSlots } from './scheduler';

/**
 * A participant's published meetings in time order (staff may read anyone's); after the event
 * is cancelled, the meetings it had, marked cancelled.
 */
export async function agendaOf(ctx: UseCaseContext, actor: Principal, eventId: string, participantId: string) {
  const [ev, me, doc] = await inOrder([
    loadEvent(ctx, eventId),
    requireSelfOrStaff(ctx, eventId, participantId, actor),
    ctx.repos.schedules.get(eventId),
  ] as const);
  const listed: [Meeting, AgendaItem['status']][] = [
    ...(doc?.published?.meetings ?? []).map((m) => [m, 'scheduled'] as [Meeting, AgendaItem['status']]),
    ...(doc?.cancelled?.meetings ?? []).map((m) => [m, 'cancelled'] as [Meeting, AgendaItem['status']]),
  ].filter(([m]) => m.a === me.id || m.b === me.id);
  // Only the counterparts, each by id: reading the whole roster made an agenda cost the event's size.
  const counterpartIds = [...new Set(listed.map(([m]) => (m.a === me.id ? m.b : m.a)))];
  const participants = new Map((await Promise.all(counterpartIds.map((id) => ctx.repos.participants.get(id)))).flatMap((p) => (p ? [[p.id, p] as const] : [])));
  const items: AgendaItem[] = [];
  for (const [m, status] of listed) {
    const other = participants.get(m.a === me.id ? m.b : m.a);
    const session = ev.sessions.find((s) => s.id === m.sessionId)!;
    const slot = sessionSlots(session).find((s) => s.slot === m.slot)!;
    const place = ev.online ? 'Online' : (ev.venue ?? '');
    items.push({
      meetingId: m.id,
      sessionId: m.sessionId,
      ...(session.name ? { sessionName: session.name } : {}),
      date: session.date,
      start: slot.start,
      end: slot.end,
      ...placementTimes(ev, m),
      timeZone: ev.timeZone,
      table: m.table,
      location: `${place}, Table ${m.table}`,
      status,
      counterpart: {
        participantId: other?.id ?? '',
        organisationId: other?.organisationId ?? '',
        name: other?.organisation.name ?? 'unknown',
        type: other?.type ?? '',
      },
    });
  }
  items.sort((x, y) => x.startsAt.localeCompare(y.startsAt));
  // Calendars apply a change to a meeting (same UID) only when its SEQUENCE grows: the schedule number does.
  return { event: ev, participant: me, items, sequence: doc?.published?.number ?? 0 };
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
