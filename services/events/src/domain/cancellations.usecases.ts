import { MEETING_EVENT_TYPES, type MeetingCancelledData } from '@lm/contracts';
import type { z } from '@lm/contracts';
import { conflict, loadActiveEvent, meetingEnvelope, requireSelfOrStaff } from './access';
import type { EventDoc } from './event.schemas';
import type { Participant } from './participant.schemas';
import type { Meeting, ReplanOffer, ScheduleDoc } from './schedule.schemas';
import type { Principal } from '@lm/auth';
import type { UseCaseContext } from './events.ports';
import { meetingSlots } from './scheduler';
import { agendasWith, eventParticipants } from './agenda.projection';

export type CancellationReason = z.infer<typeof MeetingCancelledData>['reason'];

/** What a change that cancels meetings at once did, and what staff may do next. */
export interface CancellationOutcome {
  cancelledMeetings: Meeting[];
  /** The open offer to re-plan the freed places (null when nothing published was cancelled since the last run). */
  replan: ReplanOffer | null;
}

/** How often a cancellation re-reads the schedule after losing a race with another schedule write. */
const ATTEMPTS = 5;

/** The two parties of a meeting as meeting events name them, from the event's participants. */
export function meetingParties(participants: ReadonlyMap<string, Participant>) {
  return (m: Meeting) => [m.a, m.b].map((id) => ({ participantId: id, organisationId: participants.get(id)?.organisationId ?? 'unknown' })) as [never, never];
}

function involves(participantId: string) {
  return (m: Meeting) => m.a === participantId || m.b === participantId;
}

/** The offer after cancelling `meetings`: the places they freed, added to any offer still open. */
function extendOffer(eventId: string, open: ReplanOffer | null | undefined, meetings: Meeting[], at: string): ReplanOffer {
  const places = [
    ...(open?.freed ?? []),
    ...meetings.map((m) => ({ meetingId: m.id, sessionId: m.sessionId, slot: m.slot, table: m.table, participants: [m.a, m.b] })),
  ];
  return {
    freed: places,
    offeredAt: at,
    // Published meetings are pinned on a `keep` run: the draft keeps every one of them and fills the freed places.
    generate: { method: 'POST', path: `/events/${eventId}/schedule:generate?replan=keep` },
  };
}

/**
 * Cancels at once the published meetings `affected` selects: `meeting.cancelled` (with `reason`)
 * goes out in the same single-document write that takes them out of the published schedule
 * (under a new number, so calendars apply it), out of the draft (a later publish cannot bring
 * them back) and into `cancelled` (agendas list them as cancelled). The freed places are
 * offered for a re-plan that keeps every other published meeting. A lost race with another
 * schedule write re-reads and tries again; with nothing affected it writes nothing.
 */
export async function cancelMeetingsNow(
  ctx: UseCaseContext,
  eventId: string,
  affected: (m: Meeting) => boolean,
  reason: CancellationReason,
  opts: { dropDraft?: boolean; offerReplan?: boolean } = {},
): Promise<CancellationOutcome> {
  const offerReplan = opts.offerReplan ?? true;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const doc = await ctx.repos.schedules.get(eventId);
    if (!doc) return { cancelledMeetings: [], replan: null };
    const published = doc.published?.meetings ?? [];
    const hit = published.filter(affected);
    const draftHit = doc.draft?.meetings.some(affected) ?? false;
    if (!hit.length && !draftHit && !(opts.dropDraft && doc.draft)) return { cancelledMeetings: [], replan: doc.replanOffer ?? null };
    const now = ctx.now();
    const at = now.toISOString();
    const changes: Partial<ScheduleDoc> = {};
    if (opts.dropDraft) changes.draft = null;
    else if (doc.draft && draftHit) changes.draft = { ...doc.draft, meetings: doc.draft.meetings.filter((m) => !affected(m)) };
    let outbox: ReturnType<typeof meetingEnvelope>[] = [];
    let saved: ScheduleDoc | undefined;
    if (hit.length) {
      const number = (doc.published?.number ?? 0) + 1;
      const participants = await eventParticipants(ctx, eventId);
      const parties = meetingParties(participants);
      outbox = hit.map((m) =>
        meetingEnvelope(MEETING_EVENT_TYPES.cancelled, eventId, { eventId, meetingId: m.id, participants: parties(m), reason, scheduleVersion: number }, now),
      );
      changes.published = { meetings: published.filter((m) => !affected(m)), publishedAt: at, number };
      changes.cancelled = { meetings: [...(doc.cancelled?.meetings ?? []), ...hit], cancelledAt: at };
      changes.replanOffer = offerReplan ? extendOffer(eventId, doc.replanOffer, hit, at) : null;
      // Only the agendas of the cancelled meetings' parties change.
      const touched = [...new Set(hit.flatMap((m) => [m.a, m.b]))];
      saved = await ctx.repos.schedules.updatePublished(eventId, doc.version, changes, outbox, { build: agendasWith(participants), touched });
    } else saved = await ctx.repos.schedules.update(eventId, doc.version, changes, outbox);
    if (!saved) continue;
    if (outbox.length) ctx.repos.kick();
    if (hit.length) ctx.log('published meetings cancelled', { eventId, reason, meetings: hit.length });
    return { cancelledMeetings: hit, replan: saved.replanOffer ?? null };
  }
  throw conflict('the schedule');
}

/**
 * Part of cancelling an event: every published meeting goes out as `meeting.cancelled` (reason
 * `event_cancelled`), the published schedule becomes empty under a new number, the draft is
 * dropped (nothing can be published any more) and no re-plan is offered.
 */
export async function cancelPublishedMeetings(ctx: UseCaseContext, eventId: string): Promise<number> {
  const out = await cancelMeetingsNow(ctx, eventId, () => true, 'event_cancelled', { dropDraft: true, offerReplan: false });
  return out.cancelledMeetings.length;
}

/** Meetings of `p` in a slot its availability no longer includes (a session it does not name stays all-available). */
function unavailableFor(p: Participant) {
  return (m: Meeting) => involves(p.id)(m) && p.availability[m.sessionId] !== undefined && !p.availability[m.sessionId]!.includes(m.slot);
}

/**
 * After a participant record changed: a participant no longer validated loses all its published
 * meetings, one that marked slots unavailable loses the meetings in those slots.
 */
export async function cancelAfterParticipantChange(ctx: UseCaseContext, p: Participant): Promise<CancellationOutcome> {
  if (p.status !== 'validated') return cancelMeetingsNow(ctx, p.eventId, involves(p.id), 'participant_withdrawn');
  return cancelMeetingsNow(ctx, p.eventId, unavailableFor(p), 'participant_unavailable');
}

/** After the event's sessions changed: meetings in a slot that is no longer a meeting slot, or at a table that no longer exists. */
export async function cancelAfterSessionsChange(ctx: UseCaseContext, ev: EventDoc): Promise<CancellationOutcome> {
  const places = new Map(ev.sessions.map((s) => [s.id, { slots: new Set(meetingSlots(s)), tables: s.tables }]));
  const gone = (m: Meeting) => {
    const s = places.get(m.sessionId);
    return !s || !s.slots.has(m.slot) || m.table > s.tables;
  };
  return cancelMeetingsNow(ctx, ev.id, gone, 'slot_unavailable');
}

/** Marks the participant withdrawn (compare-and-set, re-read on a lost race); already withdrawn stays as it is. */
async function markWithdrawn(ctx: UseCaseContext, p: Participant): Promise<Participant> {
  let current: Participant | undefined = p;
  for (let attempt = 0; attempt < ATTEMPTS && current; attempt++) {
    if (current.status === 'withdrawn') return current;
    const saved = await ctx.repos.participants.update(current.id, current.version, { status: 'withdrawn' });
    if (saved) return saved;
    current = await ctx.repos.participants.get(p.id);
  }
  throw conflict('the participant');
}

/**
 * Withdrawal: the participant is marked withdrawn (no run schedules it any more), then its
 * published meetings are cancelled at once. Repeating it is harmless and completes a withdrawal
 * that was interrupted between the two writes (there are no multi-document transactions).
 */
async function withdraw(ctx: UseCaseContext, p: Participant, reason: CancellationReason) {
  const participant = await markWithdrawn(ctx, p);
  const outcome = await cancelMeetingsNow(ctx, p.eventId, involves(p.id), reason);
  return { participant, ...outcome };
}

/** Staff, or the participant itself, withdraw it from an event: its published meetings are cancelled at once. */
export async function withdrawParticipant(ctx: UseCaseContext, actor: Principal, eventId: string, participantId: string) {
  await loadActiveEvent(ctx, eventId);
  const p = await requireSelfOrStaff(ctx, eventId, participantId, actor);
  return withdraw(ctx, p, 'participant_withdrawn');
}

/**
 * An organisation's profile was deleted (`organisation.deleted` on profiles.organisations.v1):
 * it is withdrawn from every active event it takes part in, its meetings cancelled at once.
 * Idempotent, so a redelivered message changes nothing.
 */
export async function withdrawDeletedOrganisation(ctx: UseCaseContext, organisationId: string): Promise<number> {
  let withdrawn = 0;
  for (const p of await ctx.repos.participants.find({ organisationId })) {
    const ev = await ctx.repos.events.get(p.eventId);
    if (!ev || ev.status === 'cancelled') continue;
    await withdraw(ctx, p, 'organisation_deleted');
    withdrawn++;
  }
  if (withdrawn) ctx.log('deleted organisation withdrawn from its events', { organisationId, events: withdrawn });
  return withdrawn;
}
