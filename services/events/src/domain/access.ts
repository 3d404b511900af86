import { isStaff, type Principal } from '@lm/auth';
import { makeEnvelope, type Envelope } from '@lm/contracts';
import { AppError } from '@lm/errors';
import type { EventDoc } from './event.schemas';
import type { Participant } from './participant.schemas';
import type { UseCaseContext } from './events.ports';

export function requireStaff(actor: Principal): void {
  if (!isStaff(actor)) throw AppError.forbidden('only hub staff and admins manage events');
}

export async function loadEvent(ctx: UseCaseContext, eventId: string): Promise<EventDoc> {
  const ev = await ctx.repos.events.get(eventId);
  if (!ev) throw AppError.notFound(`event ${eventId}`);
  return { ...ev, status: ev.status ?? 'active' };
}

/** An event that still changes: a cancelled event is read-only (409 for every write). */
export async function loadActiveEvent(ctx: UseCaseContext, eventId: string): Promise<EventDoc> {
  const ev = await loadEvent(ctx, eventId);
  if (ev.status === 'cancelled')
    throw new AppError('conflict', `event ${eventId} is cancelled`, { details: [{ field: 'event.status', message: 'cancelled events accept no changes' }] });
  return ev;
}

/**
 * Who a caller acts as in an event: any token whose `org` claim is a registered (not
 * withdrawn) participant of the event acts as that participant — company users, research
 * centres and investors alike. Staff act as nobody (they manage).
 */
export async function participantOf(ctx: UseCaseContext, eventId: string, actor: Principal): Promise<Participant | undefined> {
  if (!actor.org) return undefined;
  const [p] = await ctx.repos.participants.find({ eventId, organisationId: actor.org });
  return p && p.status !== 'withdrawn' ? p : undefined;
}

export async function requireParticipant(ctx: UseCaseContext, eventId: string, actor: Principal): Promise<Participant> {
  const p = await participantOf(ctx, eventId, actor);
  if (!p) throw AppError.forbidden('you are not a participant of this event');
  return p;
}

/** Staff, or the participant itself. */
export async function requireSelfOrStaff(ctx: UseCaseContext, eventId: string, participantId: string, actor: Principal): Promise<Participant> {
  const p = await ctx.repos.participants.get(participantId);
  if (!p || p.eventId !== eventId) throw AppError.notFound(`participant ${participantId}`);
  if (isStaff(actor)) return p;
  // The caller acts as the event's participant of its organisation (one per organisation and
  // event): that is `p` exactly when `p` is its organisation's and not withdrawn — no key lookup.
  if (!actor.org || actor.org !== p.organisationId || p.status === 'withdrawn') throw AppError.forbidden('participants see and act only on their own data');
  return p;
}

export function meetingEnvelope(type: string, eventId: string, data: unknown, at: Date): Envelope {
  return makeEnvelope({ type, key: eventId, data, source: 'events', occurredAt: at });
}

export function party(p: Participant) {
  return { participantId: p.id, organisationId: p.organisationId };
}

export function conflict(what: string): AppError {
  return new AppError('precondition_failed', `${what} was changed by someone else; reload and retry`);
}
