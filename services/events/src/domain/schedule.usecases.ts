import type { Principal } from '@lm/auth';
import { allowedTypePairs } from './event.schemas';
import { MEETING_EVENT_TYPES } from '@lm/contracts';
import { meetingParties } from './cancellations.usecases';
import { AppError } from '@lm/errors';
import { randomUUID } from 'crypto';
import { conflict, loadActiveEvent, loadEvent, meetingEnvelope, requireStaff } from './access';
import { isDuplicate } from './errors';
import type { EventDoc } from './event.schemas';
import type { Participant } from './participant.schemas';
import type { MeetingRequest } from './request.schemas';
import type { Meeting, ScheduleDoc, ScheduleEdit } from './schedule.schemas';
import type { ScheduleRunner, UseCaseContext } from './events.ports';
import { effectiveStatus } from './requests.usecases';
import { findViolations, meetingSlots, sessionSlots, SchedulerInput } from './scheduler';
import { localToInstant } from './time';
import { agendasWith, eventParticipants } from './agenda.projection';
import type { PublishJobs, ScheduleJobs } from './schedule.jobs';
import { inOrder } from './in-order';

/** Start/end instants of a meeting's slot. */
export function placementTimes(ev: EventDoc, m: Pick<Meeting, 'sessionId' | 'slot'>): { startsAt: string; endsAt: string } {
  const s = ev.sessions.find((x) => x.id === m.sessionId);
  const slot = s && sessionSlots(s).find((x) => x.slot === m.slot);
  if (!s || !slot) throw AppError.validation(`no slot ${m.slot} in session ${m.sessionId}`);
  return { startsAt: localToInstant(s.date, slot.start, ev.timeZone).toISOString(), endsAt: localToInstant(s.date, slot.end, ev.timeZone).toISOString() };
}

interface Inputs {
  ev: EventDoc;
  participants: Participant[];
  requests: MeetingRequest[];
  doc: ScheduleDoc | undefined;
}

/** What a schedule run or edit reads; both change the schedule, so the event must be active. */
async function loadInputs(ctx: UseCaseContext, eventId: string): Promise<Inputs> {
  const ev = await loadActiveEvent(ctx, eventId);
  const [participants, requests, doc] = await Promise.all([
    ctx.repos.participants.find({ eventId }),
    ctx.repos.requests.find({ eventId }),
    ctx.repos.schedules.get(eventId),
  ]);
  return { ev, participants: participants.filter((p) => p.status === 'validated'), requests, doc };
}

function schedulerBase(ctx: UseCaseContext, { ev, participants, requests }: Inputs): Omit<SchedulerInput, 'suggestions' | 'pinned'> {
  const now = ctx.now();
  return {
    sessions: ev.sessions.map((s) => ({ id: s.id, slots: meetingSlots(s), tables: s.tables })),
    participants: participants.map((p) => ({ id: p.id, type: p.type, vip: p.vip, availability: p.availability })),
    requests: requests.map((r) => ({ id: r.id, from: r.from, to: r.to, priority: r.priority, status: effectiveStatus(r, now) })),
    allowedTypePairs: allowedTypePairs(ev),
    caps: ev.caps,
  };
}

/**
 * The event's first schedule document. Another run that stored its draft first is a version
 * conflict (undefined → 412); any other failure — a database outage above all — propagates as
 * itself (503), so a client never reloads and retries against an engine that is down.
 */
async function insertFirstSchedule(ctx: UseCaseContext, doc: ScheduleDoc): Promise<ScheduleDoc | undefined> {
  try {
    return await ctx.repos.schedules.insert(doc);
  } catch (e) {
    if (isDuplicate(e)) return undefined;
    throw e;
  }
}

/**
 * Generates a draft. Published meetings stay where they are (pinned) unless `replan` is
 * 'all'; a re-planned pair keeps its meeting id so publishing reports it as rescheduled.
 */
export async function generateSchedule(
  ctx: UseCaseContext,
  actor: Principal,
  eventId: string,
  opts: { replan: 'keep' | 'all'; timeBudgetMs: number; seed: number; boundBudgetMs?: number },
  runner: ScheduleRunner,
) {
  requireStaff(actor);
  const inputs = await loadInputs(ctx, eventId);
  const { participants, doc } = inputs;
  const byOrg = new Map(participants.map((p) => [p.organisationId, p.id]));
  const stored = await ctx.repos.suggestions.forOrganisations([...byOrg.keys()]);
  const suggestions = stored
    .filter((s) => !s.withdrawn && byOrg.has(s.companyId) && byOrg.has(s.candidateId))
    .map((s) => ({ a: byOrg.get(s.companyId)!, b: byOrg.get(s.candidateId)!, score: s.score }));
  const published = doc?.published?.meetings ?? [];
  const pinned = opts.replan === 'all' ? [] : published.map((m) => ({ meetingId: m.id, a: m.a, b: m.b, sessionId: m.sessionId, slot: m.slot, table: m.table }));
  ctx.log('schedule generation started', {
    eventId,
    participants: participants.length,
    requests: inputs.requests.length,
    suggestions: suggestions.length,
    pinned: pinned.length,
  });
  const result = await runner.run(
    eventId,
    {
      ...schedulerBase(ctx, inputs),
      suggestions,
      pinned,
      options: {
        seed: opts.seed,
        timeBudgetMs: opts.timeBudgetMs,
        minMeetings: inputs.ev.minMeetings,
        ...(opts.boundBudgetMs !== undefined ? { boundBudgetMs: opts.boundBudgetMs } : {}),
      },
    },
    (p) => ctx.log('schedule generation progress', { eventId, ...p }),
  );
  const pairId = new Map(published.map((m) => [[m.a, m.b].sort().join('|'), m.id]));
  const meetings: Meeting[] = result.meetings.map((m) => ({
    id: m.meetingId ?? pairId.get([m.a, m.b].sort().join('|')) ?? randomUUID(),
    sessionId: m.sessionId,
    slot: m.slot,
    table: m.table,
    a: m.a,
    b: m.b,
    source: m.source,
    requestIds: m.requestIds,
    value: m.value,
  }));
  const draft = { meetings, report: result.report, generatedAt: ctx.now().toISOString(), basedOnPublished: doc?.published?.number ?? 0 };
  // A run takes the open re-plan offer: its draft already fills the freed places.
  const saved = doc
    ? await ctx.repos.schedules.update(eventId, doc.version, { draft, replanOffer: null })
    : await insertFirstSchedule(ctx, { id: eventId, eventId, version: 1, draft, published: null });
  if (!saved) throw conflict('the schedule');
  ctx.log('schedule generation finished', {
    eventId,
    objective: result.report.objective,
    upperBound: result.report.upperBound,
    boundMethod: result.report.bound.method,
    percentOfBound: result.report.percentOfBound,
    runtimeMs: result.report.runtimeMs,
  });
  return { version: saved.version, report: result.report, meetings };
}

type GenerateOptions = Parameters<typeof generateSchedule>[3];

/** The answer of `GET …/schedule/run`: the run in progress (if any) and how the last background run ended. */
function runView(eventId: string, runner: ScheduleRunner, jobs?: ScheduleJobs) {
  const status = runner.status(eventId) ?? jobs?.active(eventId);
  const lastRun = jobs?.last(eventId);
  return { ...(status ? { running: true, ...status } : { running: false, eventId }), ...(lastRun ? { lastRun } : {}) };
}

/**
 * Starts a run without waiting for it (`wait=false`): the answer comes at once, the client
 * polls `GET …/schedule/run` (progress, then `lastRun` with the draft's version). One run per
 * event at a time (409 while one is in progress).
 */
export async function startScheduleGeneration(
  ctx: UseCaseContext,
  actor: Principal,
  eventId: string,
  opts: GenerateOptions,
  runner: ScheduleRunner,
  jobs: ScheduleJobs,
) {
  requireStaff(actor);
  await loadActiveEvent(ctx, eventId);
  if (runner.status(eventId) || jobs.active(eventId))
    throw new AppError('conflict', 'a schedule run of this event is in progress', {
      details: [{ field: 'schedule.run', message: `follow it at /events/${eventId}/schedule/run` }],
    });
  jobs.start(
    eventId,
    { eventId, state: 'preparing', startedAt: ctx.now().toISOString(), budgetMs: opts.timeBudgetMs },
    () => generateSchedule(ctx, actor, eventId, opts, runner),
    (e) => ctx.log('background schedule run failed', { eventId, error: e instanceof Error ? e.message : String(e) }),
  );
  return runView(eventId, runner, jobs);
}

/** The event's schedule run in progress, if any (staff): preparing, queued or running with the optimiser's progress; and the last background run's outcome. */
export async function scheduleRunOf(ctx: UseCaseContext, actor: Principal, eventId: string, runner: ScheduleRunner, jobs?: ScheduleJobs) {
  requireStaff(actor);
  await loadEvent(ctx, eventId);
  return runView(eventId, runner, jobs);
}

export async function getSchedule(ctx: UseCaseContext, actor: Principal, eventId: string): Promise<ScheduleDoc> {
  requireStaff(actor);
  // Both reads at once: the schedule document is the large one, the event's only says it exists.
  const [, doc] = await inOrder([loadEvent(ctx, eventId), ctx.repos.schedules.get(eventId)] as const);
  if (!doc) throw AppError.notFound(`schedule of event ${eventId}`);
  return doc;
}

function applyEdit(meetings: Meeting[], edit: ScheduleEdit): Meeting[] {
  const find = (id: string) => {
    const m = meetings.find((x) => x.id === id);
    if (!m) throw AppError.validation(`no meeting ${id} in the draft`, [{ field: 'body.edits', message: `unknown meeting ${id}` }]);
    return m;
  };
  if (edit.op === 'remove') {
    find(edit.meetingId);
    return meetings.filter((m) => m.id !== edit.meetingId);
  }
  if (edit.op === 'move') {
    find(edit.meetingId);
    return meetings.map((m) => (m.id === edit.meetingId ? { ...m, sessionId: edit.sessionId, slot: edit.slot, table: edit.table } : m));
  }
  const one = find(edit.meetingId);
  const two = find(edit.otherMeetingId);
  return meetings.map((m) =>
    m.id === one.id
      ? { ...m, sessionId: two.sessionId, slot: two.slot, table: two.table }
      : m.id === two.id
        ? { ...m, sessionId: one.sessionId, slot: one.slot, table: one.table }
        : m,
  );
}

/**
 * Move / swap / remove meetings of the draft. Optimistic concurrency: the caller names the
 * version it edited (If-Match); a stale version is a 412, so two organisers never overwrite
 * each other. An edit that introduces a constraint violation is refused (409) with the reasons.
 */
export async function editSchedule(ctx: UseCaseContext, actor: Principal, eventId: string, edits: ScheduleEdit[], ifMatch: number | undefined) {
  requireStaff(actor);
  if (ifMatch === undefined) throw new AppError('precondition_required', 'send If-Match with the schedule version you edited');
  const inputs = await loadInputs(ctx, eventId);
  const doc = inputs.doc;
  if (!doc?.draft) throw AppError.notFound('draft schedule');
  if (doc.version !== ifMatch) throw conflict('the schedule');
  let meetings = doc.draft.meetings;
  for (const e of edits) meetings = applyEdit(meetings, e);
  const base = { ...schedulerBase(ctx, inputs) };
  const before = new Set(findViolations(base, doc.draft.meetings));
  const introduced = findViolations(base, meetings).filter((v) => !before.has(v));
  if (introduced.length) {
    throw new AppError('conflict', 'the edit breaks the schedule constraints', { details: introduced.map((message) => ({ field: 'body.edits', message })) });
  }
  const saved = await ctx.repos.schedules.update(eventId, doc.version, { draft: { ...doc.draft, meetings } });
  if (!saved) throw conflict('the schedule');
  return saved;
}

/** Publishes the draft: meeting.scheduled / rescheduled / cancelled go out with the change (outbox). */
export async function publishSchedule(ctx: UseCaseContext, actor: Principal, eventId: string, ifMatch: number | undefined) {
  requireStaff(actor);
  // Started together: the schedule document (~2 MB) and the roster (every partition) are the slow reads.
  const [ev, doc, participants] = await inOrder([loadActiveEvent(ctx, eventId), ctx.repos.schedules.get(eventId), eventParticipants(ctx, eventId)] as const);
  if (!doc?.draft) throw AppError.notFound('draft schedule');
  if (ifMatch !== undefined && doc.version !== ifMatch) throw conflict('the schedule');
  const parties = meetingParties(participants);
  const now = ctx.now();
  const number = (doc.published?.number ?? 0) + 1;
  const old = new Map((doc.published?.meetings ?? []).map((m) => [m.id, m]));
  const outbox = [];
  for (const m of doc.draft.meetings) {
    const prev = old.get(m.id);
    const place = { sessionId: m.sessionId, slot: m.slot, table: m.table, ...placementTimes(ev, m) };
    const data = { eventId, meetingId: m.id, participants: parties(m), ...place, timeZone: ev.timeZone, source: m.source, scheduleVersion: number };
    if (!prev) outbox.push(meetingEnvelope(MEETING_EVENT_TYPES.scheduled, eventId, data, now));
    else if (prev.sessionId !== m.sessionId || prev.slot !== m.slot || prev.table !== m.table) {
      const previous = { sessionId: prev.sessionId, slot: prev.slot, table: prev.table, ...placementTimes(ev, prev) };
      outbox.push(meetingEnvelope(MEETING_EVENT_TYPES.rescheduled, eventId, { ...data, previous }, now));
    }
    old.delete(m.id);
  }
  for (const m of old.values()) {
    outbox.push(
      meetingEnvelope(
        MEETING_EVENT_TYPES.cancelled,
        eventId,
        { eventId, meetingId: m.id, participants: parties(m), reason: 'removed_by_organiser', scheduleVersion: number },
        now,
      ),
    );
  }
  const published = { meetings: doc.draft.meetings, publishedAt: now.toISOString(), number };
  // Every participant's agenda is written before the answer (a rebuild, see ScheduleStore).
  const saved = await ctx.repos.schedules.updatePublished(eventId, doc.version, { published }, outbox, { build: agendasWith(participants) });
  if (!saved) throw conflict('the schedule');
  ctx.repos.kick();
  return { version: saved.version, published, events: outbox.length };
}

/** The answer of `GET …/schedule/publication`: the publication in progress (if any) and how the last background one ended. */
function publicationView(eventId: string, jobs: PublishJobs) {
  const status = jobs.active(eventId);
  const lastPublication = jobs.last(eventId);
  return { ...(status ? { running: true, ...status } : { running: false, eventId }), ...(lastPublication ? { lastPublication } : {}) };
}

/**
 * Publishes without waiting (`wait=false`): the answer comes at once, the client polls
 * `GET …/schedule/publication` until `running` is false (`lastPublication`: the new version,
 * number and events, or the error — a stale If-Match is a failed `precondition_failed`). A
 * publish at 1,000 participants reads and rewrites the ~2 MB schedule document and writes every
 * agenda: seconds. One publication per event at a time (409 while one is in progress).
 */
export async function startPublication(ctx: UseCaseContext, actor: Principal, eventId: string, ifMatch: number, jobs: PublishJobs) {
  requireStaff(actor);
  await loadActiveEvent(ctx, eventId);
  if (jobs.active(eventId))
    throw new AppError('conflict', 'a publication of this schedule is in progress', {
      details: [{ field: 'schedule.publication', message: `follow it at /events/${eventId}/schedule/publication` }],
    });
  jobs.start(
    eventId,
    { eventId, startedAt: ctx.now().toISOString(), expectedVersion: ifMatch },
    () => publishSchedule(ctx, actor, eventId, ifMatch),
    (e) => ctx.log('background publication failed', { eventId, error: e instanceof Error ? e.message : String(e) }),
  );
  return publicationView(eventId, jobs);
}

/** The event's publication in progress, if any (staff), and how the last background one ended. */
export async function publicationOf(ctx: UseCaseContext, actor: Principal, eventId: string, jobs: PublishJobs) {
  requireStaff(actor);
  await loadEvent(ctx, eventId);
  return publicationView(eventId, jobs);
}

/** Published meetings of an event (agendas, check-in, feedback all read these). */
export async function publishedMeetings(ctx: UseCaseContext, eventId: string): Promise<Meeting[]> {
  return (await ctx.repos.schedules.get(eventId))?.published?.meetings ?? [];
}
