import { isStaff, type Principal } from '@lm/auth';
import { allowedTypePairs } from './event.schemas';
import { MEETING_EVENT_TYPES } from '@lm/contracts';
import { AppError } from '@lm/errors';
import { isDuplicate } from './errors';
import { randomUUID } from 'crypto';
import { conflict, loadActiveEvent, loadEvent, meetingEnvelope, party, requireParticipant } from './access';
import type { Participant } from './participant.schemas';
import type { MeetingRequest } from './request.schemas';
import type { Paged, PageRequest, UseCaseContext } from './events.ports';
import { inOrder } from './in-order';
import { typesAllowed } from './scheduler/instance';

/** Pending requests past their expiry read as `expired` (no sweeper job needed). */
export function effectiveStatus(r: MeetingRequest, now: Date): MeetingRequest['status'] {
  return r.status === 'pending' && r.expiresAt && r.expiresAt < now.toISOString() ? 'expired' : r.status;
}

export async function sendRequest(
  ctx: UseCaseContext,
  actor: Principal,
  eventId: string,
  input: { to: string; from?: string; message?: string; priority: 'must_meet' | 'would_like' },
): Promise<MeetingRequest> {
  const sender = async (): Promise<Participant> => {
    if (!(isStaff(actor) && input.from)) return requireParticipant(ctx, eventId, actor);
    const p = await ctx.repos.participants.get(input.from);
    if (!p || p.eventId !== eventId) throw AppError.notFound(`participant ${input.from}`);
    return p;
  };
  const [ev, from, to] = await inOrder([loadActiveEvent(ctx, eventId), sender(), ctx.repos.participants.get(input.to)] as const);
  if (!to || to.eventId !== eventId || to.status === 'withdrawn') throw AppError.notFound(`participant ${input.to}`);
  if (to.id === from.id) throw AppError.validation('you cannot request a meeting with yourself', [{ field: 'body.to', message: 'same participant' }]);
  if (!typesAllowed(allowedTypePairs(ev), from.type, to.type))
    throw AppError.validation(`${from.type} may not meet ${to.type} at this event`, [{ field: 'body.to', message: 'not allowed by the event rules' }]);
  const now = ctx.now();
  const auto = ev.requestMode === 'auto_accept';
  const request: MeetingRequest = {
    id: randomUUID(),
    eventId,
    from: from.id,
    to: to.id,
    fromOrganisationId: from.organisationId,
    toOrganisationId: to.organisationId,
    ...(input.message ? { message: input.message } : {}),
    priority: input.priority,
    status: auto ? 'accepted' : 'pending',
    ...(auto ? { decidedAt: now.toISOString() } : { expiresAt: new Date(now.getTime() + ev.requestExpiryHours * 3_600_000).toISOString() }),
    createdAt: now.toISOString(),
    version: 1,
  };
  const base = { eventId, requestId: request.id, from: party(from), to: party(to), priority: request.priority };
  const outbox = [
    meetingEnvelope(
      MEETING_EVENT_TYPES.requested,
      eventId,
      { ...base, ...(request.message ? { message: request.message } : {}), ...(request.expiresAt ? { expiresAt: request.expiresAt } : {}), autoAccepted: auto },
      now,
    ),
  ];
  if (auto) outbox.push(meetingEnvelope(MEETING_EVENT_TYPES.accepted, eventId, { ...base, decidedBy: 'auto_accept' }, now));
  try {
    const saved = await ctx.repos.requests.insert(request, outbox);
    ctx.repos.kick();
    return saved;
  } catch (e) {
    if (isDuplicate(e)) throw new AppError('duplicate', 'you already asked this participant for a meeting');
    throw e;
  }
}

export async function decideRequest(
  ctx: UseCaseContext,
  actor: Principal,
  eventId: string,
  requestId: string,
  decision: 'accepted' | 'declined',
): Promise<MeetingRequest> {
  const [, r] = await inOrder([loadActiveEvent(ctx, eventId), ctx.repos.requests.get(requestId)] as const);
  if (!r || r.eventId !== eventId) throw AppError.notFound(`request ${requestId}`);
  if (!isStaff(actor)) {
    // The caller is the receiver when the receiver is its organisation's participant (one per
    // organisation and event) and still takes part: one read by id, no organisation key lookup.
    const receiver = actor.org === r.toOrganisationId ? await ctx.repos.participants.get(r.to) : undefined;
    if (!receiver || receiver.organisationId !== actor.org || receiver.status === 'withdrawn')
      throw AppError.forbidden('only the receiver decides on a request');
  }
  const now = ctx.now();
  const status = effectiveStatus(r, now);
  if (status === decision) return r;
  // A declined pair must never be scheduled: declining stays possible after accepting.
  if (status !== 'pending' && !(status === 'accepted' && decision === 'declined')) throw new AppError('conflict', `request is ${status}`);
  const [from, to] = await Promise.all([partyOf(ctx, r.from, r.fromOrganisationId), partyOf(ctx, r.to, r.toOrganisationId)]);
  const type = decision === 'accepted' ? MEETING_EVENT_TYPES.accepted : MEETING_EVENT_TYPES.declined;
  const env = meetingEnvelope(type, eventId, { eventId, requestId: r.id, from, to, priority: r.priority, decidedBy: actor.sub }, now);
  const saved = await ctx.repos.requests.update(r.id, r.version, { status: decision, decidedAt: now.toISOString() }, [env]);
  if (!saved) throw conflict('the request');
  ctx.repos.kick();
  return saved;
}

/** A party of a request as meeting events name it: the request stores both organisations (older ones: read the participant). */
async function partyOf(ctx: UseCaseContext, participantId: string, organisationId: string | undefined) {
  if (organisationId) return { participantId, organisationId };
  return party((await ctx.repos.participants.get(participantId))!);
}

/** Staff see all requests; a participant sees the ones it sent or received. One page at a time. */
export async function listRequests(ctx: UseCaseContext, actor: Principal, eventId: string, page: PageRequest): Promise<Paged<MeetingRequest>> {
  const [, me] = await inOrder([loadEvent(ctx, eventId), isStaff(actor) ? Promise.resolve(undefined) : requireParticipant(ctx, eventId, actor)] as const);
  const now = ctx.now();
  const view = (r: MeetingRequest) => ({ ...r, status: effectiveStatus(r, now) });
  const window = { after: page.after, limit: page.limit + 1 };
  if (!me) return { rows: await ctx.repos.requests.page({ where: { eventId } }, window), limit: page.limit, view };
  return { rows: await ctx.repos.requests.page({ where: { eventId }, anyOf: [{ from: me.id }, { to: me.id }] }, window), limit: page.limit, view };
}
