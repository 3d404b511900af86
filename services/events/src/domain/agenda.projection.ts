import type { AgendaBuilder, AgendaEntry, StoredAgenda, UseCaseContext } from './events.ports';
import type { Participant } from './participant.schemas';
import type { Meeting, ScheduleDoc } from './schedule.schemas';

/*
 * Participants' agendas as a projection of the schedule document: what each participant's
 * stored agenda holds (see ScheduleStore.updatePublished). Times and place are not stored:
 * they come from the event when an agenda is read, so an event's change shows at once.
 */

/** The event's participants by id (counterparts of agendas, parties of meeting events). */
export async function eventParticipants(ctx: UseCaseContext, eventId: string): Promise<Map<string, Participant>> {
  return new Map((await ctx.repos.participants.find({ eventId })).map((p) => [p.id, p]));
}

/**
 * The agendas `schedule` gives: its published meetings (scheduled) and those cancelled since
 * (cancelled), per participant, each with its counterpart as `participants` knows it. For every
 * participant of `participants` (an empty agenda too: it may have lost its meetings), or only `only`.
 */
export function agendasFromSchedule(schedule: ScheduleDoc, participants: ReadonlyMap<string, Participant>, only?: ReadonlySet<string>): StoredAgenda[] {
  const entries = new Map<string, AgendaEntry[]>([...(only ?? participants.keys())].map((id) => [id, []]));
  const add = (m: Meeting, status: AgendaEntry['status']) => {
    for (const [me, otherId] of [
      [m.a, m.b],
      [m.b, m.a],
    ] as const) {
      const other = participants.get(otherId);
      entries.get(me)?.push({
        meetingId: m.id,
        sessionId: m.sessionId,
        slot: m.slot,
        table: m.table,
        status,
        counterpart: {
          participantId: otherId,
          organisationId: other?.organisationId ?? '',
          name: other?.organisation.name ?? 'unknown',
          type: other?.type ?? '',
        },
      });
    }
  };
  for (const m of schedule.published?.meetings ?? []) add(m, 'scheduled');
  for (const m of schedule.cancelled?.meetings ?? []) add(m, 'cancelled');
  const sequence = schedule.published?.number ?? 0;
  return [...entries].map(([participantId, list]) => ({
    eventId: schedule.eventId,
    participantId,
    scheduleVersion: schedule.version,
    sequence,
    entries: list,
  }));
}

/** Builds agendas with the participants a use case has already read. */
export const agendasWith =
  (participants: ReadonlyMap<string, Participant>): AgendaBuilder =>
  async (schedule, only) =>
    agendasFromSchedule(schedule, participants, only);

/** Builds agendas reading the event's participants first (a rebuild). */
export const agendasOfEvent =
  (ctx: UseCaseContext, eventId: string): AgendaBuilder =>
  async (schedule, only) =>
    agendasFromSchedule(schedule, await eventParticipants(ctx, eventId), only);
