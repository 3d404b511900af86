import { isStaff, type Principal } from '@lm/auth';
import { allowedTypePairs } from './event.schemas';
import { AppError, issueDetails } from '@lm/errors';
import { randomUUID } from 'crypto';
import { conflict, loadActiveEvent, loadEvent, participantOf, requireSelfOrStaff, requireStaff } from './access';
import type { EventDoc, EventInput, EventPatch, SessionInput } from './event.schemas';
import type { OrgSummary, Participant, ParticipantCard, ParticipantPatch } from './participant.schemas';
import { EventInput as EventInputSchema } from './event.schemas';
import type { Paged, PageRequest, UseCaseContext } from './events.ports';
import { inOrder } from './in-order';
import { cancelAfterParticipantChange, cancelAfterSessionsChange, cancelPublishedMeetings } from './cancellations.usecases';
import { typesAllowed } from './scheduler/instance';
import { agendasOfEvent } from './agenda.projection';

function withSessionIds(sessions: SessionInput[]) {
  return sessions.map((s, i) => ({ ...s, id: s.id ?? `s${i + 1}` }));
}

export async function createEvent(ctx: UseCaseContext, actor: Principal, input: EventInput): Promise<EventDoc> {
  requireStaff(actor);
  const now = ctx.now().toISOString();
  return ctx.repos.events.insert({
    ...input,
    id: randomUUID(),
    sessions: withSessionIds(input.sessions),
    status: 'active',
    version: 1,
    createdAt: now,
    updatedAt: now,
  });
}

export async function updateEvent(ctx: UseCaseContext, actor: Principal, eventId: string, patch: EventPatch, ifMatch: number | undefined): Promise<EventDoc> {
  requireStaff(actor);
  const ev = await loadActiveEvent(ctx, eventId);
  if (ifMatch !== undefined && ifMatch !== ev.version) throw conflict('the event');
  // Re-check the cross-field rules on the merged event.
  const merged = EventInputSchema.safeParse({ ...ev, ...patch });
  if (!merged.success) throw AppError.validation('invalid event after patch', issueDetails(merged.error.issues));
  const changes = { ...patch, ...(patch.sessions ? { sessions: withSessionIds(patch.sessions) } : {}), updatedAt: ctx.now().toISOString() };
  const saved = await ctx.repos.events.update(eventId, ev.version, changes as Partial<EventDoc>);
  if (!saved) throw conflict('the event');
  // A slot that became a break, or a table taken away, cancels the meetings published there at once.
  if (patch.sessions) await cancelAfterSessionsChange(ctx, saved);
  return saved;
}

/** Events in id order, one page at a time (see {@link PageRequest}). */
export async function listEvents(ctx: UseCaseContext, page: PageRequest): Promise<Paged<EventDoc>> {
  const rows = await ctx.repos.events.page({ where: {} }, { after: page.after, limit: page.limit + 1 });
  return { rows, limit: page.limit, view: (ev) => ({ ...ev, status: ev.status ?? 'active' }) };
}

/**
 * Cancels an event (staff): every published meeting goes out as `meeting.cancelled`
 * (reason `event_cancelled`) with the schedule change, agendas list them as cancelled, and
 * the event accepts no further changes. Repeating the call changes nothing.
 * The meetings are cancelled before the event is marked and once more after: a publish that
 * raced the first pass either fails its version check or is caught by the second.
 */
export async function cancelEvent(
  ctx: UseCaseContext,
  actor: Principal,
  eventId: string,
  input: { reason?: string },
  ifMatch: number | undefined,
): Promise<EventDoc> {
  requireStaff(actor);
  const ev = await loadEvent(ctx, eventId);
  if (ev.status === 'cancelled') return ev;
  if (ifMatch !== undefined && ifMatch !== ev.version) throw conflict('the event');
  const now = ctx.now();
  await cancelPublishedMeetings(ctx, eventId);
  const saved = await ctx.repos.events.update(eventId, ev.version, {
    status: 'cancelled',
    cancelledAt: now.toISOString(),
    ...(input.reason ? { cancellationReason: input.reason } : {}),
    updatedAt: now.toISOString(),
  });
  if (!saved) throw conflict('the event');
  await cancelPublishedMeetings(ctx, eventId);
  ctx.log('event cancelled', { eventId });
  return saved;
}

function summarise(org: Record<string, unknown>): OrgSummary {
  const description = Array.isArray(org.description) ? (org.description[0] as { text?: string } | undefined)?.text : undefined;
  const location = org.location as { province?: string } | undefined;
  return {
    name: String(org.legalName ?? org.id),
    kind: String(org.kind ?? 'company'),
    ...(org.subtype ? { subtype: String(org.subtype) } : {}),
    ...(location?.province ? { province: location.province } : {}),
    s3Areas: (org.s3Areas as string[] | undefined) ?? [],
    specialties: (org.specialties as string[] | undefined) ?? [],
    ...(description ? { description: description.slice(0, 500) } : {}),
  };
}

/**
 * Registration uses the organisation snapshot consumed from `profiles.organisations.v1`
 * (never a call to profiles). Staff registrations are validated at once; a participant
 * registering its own organisation waits for staff validation, and only inside the window.
 */
export async function registerParticipant(
  ctx: UseCaseContext,
  actor: Principal,
  eventId: string,
  input: { organisationId: string; type?: string; vip: boolean; visible: boolean; availability: Record<string, number[]> },
): Promise<Participant> {
  const [ev, snap] = await inOrder([loadActiveEvent(ctx, eventId), ctx.repos.organisations.get(input.organisationId)] as const);
  if (!isStaff(actor)) {
    if (actor.org !== input.organisationId) throw AppError.forbidden('you may only register your own organisation');
    const now = ctx.now().toISOString();
    if (ev.registration && (now < ev.registration.opensAt || now > ev.registration.closesAt)) throw AppError.forbidden('registration is closed');
  }
  if (!snap || snap.deleted || !snap.organisation) {
    throw new AppError('validation_failed', `organisation ${input.organisationId} is unknown (no profile snapshot)`, {
      status: 422,
      details: [{ field: 'body.organisationId', message: 'unknown organisation' }],
    });
  }
  const org = summarise(snap.organisation);
  const type = input.type ?? org.kind;
  if (!ev.participantTypes.includes(type))
    throw AppError.validation('unknown participant type', [{ field: 'body.type', message: `must be one of ${ev.participantTypes.join(', ')}` }]);
  checkAvailability(ev, input.availability);
  return ctx.repos.participants.insert({
    id: randomUUID(),
    eventId,
    organisationId: input.organisationId,
    type,
    organisation: org,
    availability: input.availability,
    vip: isStaff(actor) ? input.vip : false,
    visible: input.visible,
    status: isStaff(actor) ? 'validated' : 'registered',
    version: 1,
    registeredAt: ctx.now().toISOString(),
  });
}

function checkAvailability(ev: EventDoc, availability: Record<string, number[]>) {
  for (const sid of Object.keys(availability)) {
    if (!ev.sessions.some((s) => s.id === sid))
      throw AppError.validation('unknown session in availability', [{ field: `body.availability.${sid}`, message: 'no such session' }]);
  }
}

/**
 * Staff change anything; a participant may only change its own availability and visibility.
 * A change that makes published meetings impossible cancels them at once (see cancellations).
 */
export async function updateParticipant(
  ctx: UseCaseContext,
  actor: Principal,
  eventId: string,
  participantId: string,
  patch: ParticipantPatch,
): Promise<Participant> {
  const ev = await loadActiveEvent(ctx, eventId);
  const p = await requireSelfOrStaff(ctx, eventId, participantId, actor);
  if (!isStaff(actor) && (patch.status || patch.vip !== undefined || patch.type)) throw AppError.forbidden('only staff validate participants, set VIP or type');
  if (patch.type && !ev.participantTypes.includes(patch.type))
    throw AppError.validation('unknown participant type', [{ field: 'body.type', message: 'unknown type' }]);
  if (patch.availability) checkAvailability(ev, patch.availability);
  const saved = await ctx.repos.participants.update(p.id, p.version, patch);
  if (!saved) throw conflict('the participant');
  // Withdrawn (or no longer validated), or slots marked unavailable: its published meetings there are cancelled at once.
  if (patch.status || patch.availability) await cancelAfterParticipantChange(ctx, saved);
  // Agendas name each counterpart's type.
  if (patch.type && patch.type !== p.type) await ctx.repos.agendas.invalidate(eventId, agendasOfEvent(ctx, eventId));
  return saved;
}

/**
 * What a participant sees of another participant: who it is, never its availability, VIP flag,
 * visibility or validation state (those are between it and the organisers).
 */
export function participantCard(p: Participant): ParticipantCard {
  return { id: p.id, eventId: p.eventId, organisationId: p.organisationId, type: p.type, organisation: p.organisation };
}

/**
 * Staff see everyone, in full. A participant sees itself in full, and validated, visible
 * participants whose type it is allowed to meet as cards ({@link participantCard}).
 */
export async function listParticipants(
  ctx: UseCaseContext,
  actor: Principal,
  eventId: string,
  page: PageRequest,
): Promise<Paged<Participant, Participant | ParticipantCard>> {
  const [ev, me] = await inOrder([loadEvent(ctx, eventId), isStaff(actor) ? Promise.resolve(undefined) : participantOf(ctx, eventId, actor)] as const);
  const window = { after: page.after, limit: page.limit + 1 };
  if (isStaff(actor)) return { rows: await ctx.repos.participants.page({ where: { eventId } }, window), limit: page.limit, view: (p) => p };
  if (!me) throw AppError.forbidden('you are not a participant of this event');
  const meetable = ev.participantTypes.filter((t) => typesAllowed(allowedTypePairs(ev), me.type, t));
  const rows = await ctx.repos.participants.page(
    { where: { eventId }, anyOf: [{ id: me.id }, { status: 'validated', visible: true, type: meetable }] },
    window,
  );
  return { rows, limit: page.limit, view: (p) => (p.id === me.id ? p : participantCard(p)) };
}

/**
 * Matching suggestions between this participant and other participants of the event, with the
 * matcher's explanation, best first (ties by participant id, so a cursor "after participant X"
 * always continues at the same place).
 */
export async function suggestionsFor(ctx: UseCaseContext, actor: Principal, eventId: string, participantId: string, page: PageRequest) {
  const ev = await loadEvent(ctx, eventId);
  const me = await requireSelfOrStaff(ctx, eventId, participantId, actor);
  const others = (await ctx.repos.participants.find({ eventId })).filter((p) => p.id !== me.id && p.status !== 'withdrawn');
  const byOrg = new Map(others.map((p) => [p.organisationId, p]));
  const stored = await ctx.repos.suggestions.forOrganisations([me.organisationId]);
  const out = [];
  for (const s of stored) {
    if (s.withdrawn) continue;
    const otherOrg = s.companyId === me.organisationId ? s.candidateId : s.companyId;
    const other = byOrg.get(otherOrg);
    if (!other || !typesAllowed(allowedTypePairs(ev), me.type, other.type)) continue;
    out.push({
      participantId: other.id,
      organisationId: other.organisationId,
      name: other.organisation.name,
      type: other.type,
      score: s.score,
      rank: s.rank,
      explanation: s.explanation,
    });
  }
  // One entry per counterpart (a suggestion may exist in both directions): keep the best score.
  const best = new Map<string, (typeof out)[number]>();
  for (const s of out) if (!best.has(s.participantId) || best.get(s.participantId)!.score < s.score) best.set(s.participantId, s);
  const ranked = [...best.values()]
    .sort((x, y) => y.score - x.score || x.participantId.localeCompare(y.participantId))
    .map((s) => ({ ...s, id: s.participantId }));
  const start = page.after === undefined ? 0 : ranked.findIndex((s) => s.id === page.after) + 1;
  const view = ({ id: _id, ...s }: (typeof ranked)[number]) => s;
  return { rows: ranked.slice(start, start + page.limit + 1), limit: page.limit, view };
}
