import type { Principal } from '@lm/auth';
import { MEETING_EVENT_TYPES, MEETING_FOLLOW_UPS, MEETING_OUTCOMES } from '@lm/contracts';
import { AppError } from '@lm/errors';
import { conflict, loadActiveEvent, loadEvent, meetingEnvelope, participantOf, requireStaff } from './access';
import type { Attendance, FeedbackInput } from './attendance.schemas';
import type { Participant } from './participant.schemas';
import type { Meeting } from './schedule.schemas';
import type { UseCaseContext } from './events.ports';
import { publishedMeetings } from './schedule.usecases';

async function publishedMeeting(ctx: UseCaseContext, eventId: string, meetingId: string): Promise<Meeting> {
  const m = (await publishedMeetings(ctx, eventId)).find((x) => x.id === meetingId);
  if (!m) throw AppError.notFound(`published meeting ${meetingId}`);
  return m;
}

async function parties(ctx: UseCaseContext, m: Meeting) {
  const [a, b] = await Promise.all([ctx.repos.participants.get(m.a), ctx.repos.participants.get(m.b)]);
  const ref = (p: Participant | undefined, id: string) => ({ participantId: id, organisationId: p?.organisationId ?? 'unknown' });
  return [ref(a, m.a), ref(b, m.b)];
}

/** Staff record at the desk whether a participant of a meeting showed up; the last record wins. */
export async function recordAttendance(
  ctx: UseCaseContext,
  actor: Principal,
  eventId: string,
  meetingId: string,
  participantId: string,
  status: Attendance['status'],
) {
  requireStaff(actor);
  await loadActiveEvent(ctx, eventId);
  const m = await publishedMeeting(ctx, eventId, meetingId);
  if (participantId !== m.a && participantId !== m.b)
    throw AppError.validation('participant is not in this meeting', [{ field: 'body.participantId', message: 'not in meeting' }]);
  const now = ctx.now();
  const type = status === 'checked_in' ? MEETING_EVENT_TYPES.checkedIn : MEETING_EVENT_TYPES.noShow;
  const env = meetingEnvelope(type, eventId, { eventId, meetingId, participants: await parties(ctx, m), participantId, recordedBy: actor.sub }, now);
  const id = `${meetingId}:${participantId}`;
  const existing = await ctx.repos.attendance.get(id);
  const saved = existing
    ? await ctx.repos.attendance.update(id, existing.version, { status, recordedBy: actor.sub }, [env])
    : await ctx.repos.attendance.insert({ id, eventId, meetingId, participantId, status, recordedBy: actor.sub, version: 1 }, [env]);
  if (!saved) throw conflict('the attendance record');
  ctx.repos.kick();
  return saved;
}

/** A participant's feedback on one of its meetings: the outcome right after, a follow-up months later. */
export async function giveFeedback(ctx: UseCaseContext, actor: Principal, eventId: string, meetingId: string, input: FeedbackInput) {
  await loadActiveEvent(ctx, eventId);
  const me = await participantOf(ctx, eventId, actor);
  if (!me) throw AppError.forbidden('only participants give feedback');
  const m = await publishedMeeting(ctx, eventId, meetingId);
  if (m.a !== me.id && m.b !== me.id) throw AppError.forbidden('you can only give feedback on your own meetings');
  const now = ctx.now();
  const env = meetingEnvelope(
    MEETING_EVENT_TYPES.feedbackGiven,
    eventId,
    { eventId, meetingId, participants: await parties(ctx, m), participantId: me.id, ...input },
    now,
  );
  const id = `${meetingId}:${me.id}`;
  const existing = await ctx.repos.feedback.get(id);
  const saved = existing
    ? await ctx.repos.feedback.update(id, existing.version, { ...input, updatedAt: now.toISOString() }, [env])
    : await ctx.repos.feedback.insert({ id, eventId, meetingId, participantId: me.id, ...input, version: 1, updatedAt: now.toISOString() }, [env]);
  if (!saved) throw conflict('the feedback');
  ctx.repos.kick();
  return saved;
}

const ratio = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 1000 : 0);

/**
 * Held = both sides checked in (or, without desk records, any feedback other than
 * "did not take place"). Cooperation rate = "cooperation possible" among outcomes given.
 */
export async function analytics(ctx: UseCaseContext, actor: Principal, eventId: string) {
  requireStaff(actor);
  await loadEvent(ctx, eventId);
  const [meetings, participants, attendance, feedback, requests] = await Promise.all([
    publishedMeetings(ctx, eventId),
    ctx.repos.participants.find({ eventId }),
    ctx.repos.attendance.find({ eventId }),
    ctx.repos.feedback.find({ eventId }),
    ctx.repos.requests.find({ eventId }),
  ]);
  const typeOf = new Map(participants.map((p) => [p.id, p.type]));
  const checkedIn = new Set(attendance.filter((a) => a.status === 'checked_in').map((a) => a.id));
  const noShows = attendance.filter((a) => a.status === 'no_show');
  const fbByMeeting = new Map<string, typeof feedback>();
  for (const f of feedback) fbByMeeting.set(f.meetingId, [...(fbByMeeting.get(f.meetingId) ?? []), f]);
  const held = (m: Meeting) =>
    (checkedIn.has(`${m.id}:${m.a}`) && checkedIn.has(`${m.id}:${m.b}`)) ||
    (!attendance.some((a) => a.meetingId === m.id) && (fbByMeeting.get(m.id) ?? []).some((f) => f.outcome && f.outcome !== 'did_not_take_place'));
  const outcomes = Object.fromEntries(MEETING_OUTCOMES.map((o) => [o, feedback.filter((f) => f.outcome === o).length]));
  const followUps = Object.fromEntries(MEETING_FOLLOW_UPS.map((o) => [o, feedback.filter((f) => f.followUp === o).length]));
  const withOutcome = feedback.filter((f) => f.outcome).length;
  const perType: Record<string, { meetings: number; held: number }> = {};
  for (const m of meetings) {
    const key = [typeOf.get(m.a) ?? '?', typeOf.get(m.b) ?? '?'].sort().join('↔');
    const row = (perType[key] ??= { meetings: 0, held: 0 });
    row.meetings++;
    if (held(m)) row.held++;
  }
  return {
    participants: participants.filter((p) => p.status === 'validated').length,
    requests: {
      total: requests.length,
      accepted: requests.filter((r) => r.status === 'accepted').length,
      declined: requests.filter((r) => r.status === 'declined').length,
    },
    meetingsScheduled: meetings.length,
    meetingsHeld: meetings.filter(held).length,
    noShowRate: ratio(noShows.length, attendance.length),
    feedback: { given: feedback.length, outcomes, followUps },
    cooperationRate: ratio(outcomes.cooperation_possible ?? 0, withOutcome),
    agreementRate: ratio(followUps.cooperation_agreement_reached ?? 0, feedback.filter((f) => f.followUp).length),
    perTypePair: perType,
  };
}
