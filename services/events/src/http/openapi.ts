import { createOpenApiRegistry, errorResponses, generateOpenApi, jsonBody, PageQuery, pageOf, preconditionRequired, z } from '@lm/contracts';
import { Agenda } from '../domain/agenda.schemas';
import { AttendanceInput, Attendance, EventAnalytics, Feedback, FeedbackInput } from '../domain/attendance.schemas';
import { EventCancellation, EventInput, EventPatch, EventView } from '../domain/event.schemas';
import { Participant, ParticipantCard, ParticipantPatch, ParticipantRegistration } from '../domain/participant.schemas';
import { EventSuggestion, MeetingRequest, MeetingRequestInput } from '../domain/request.schemas';
import {
  GeneratedSchedule,
  Meeting,
  PublishedSchedule,
  ReplanOffer,
  ScheduleEdits,
  SchedulePublication,
  ScheduleRun,
  ScheduleView,
} from '../domain/schedule.schemas';
import { GenerateQuery, PublishQuery } from './schedule.routes';

let cached: unknown;

const id = z.object({ id: z.string() });
const idPid = id.extend({ pid: z.string() });
const idRid = id.extend({ rid: z.string() });
const idMid = id.extend({ mid: z.string() });
const ifMatch = z.object({ 'if-match': z.string().describe('"<version>" from the ETag (required: 428 without it)') });
const etag = { ETag: { description: 'Current version ("<version>"): send it back in If-Match', schema: { type: 'string' as const } } };
const withEtag = (schema: z.ZodType, description: string) => ({ ...jsonBody(schema, description), headers: etag });
const pageResponse = (schema: z.ZodType, description: string) => ({ 200: jsonBody(schema, description) });
const Withdrawal = z
  .object({ participant: Participant, cancelledMeetings: z.array(Meeting), replan: ReplanOffer.nullable() })
  .openapi('Withdrawal', { description: 'The withdrawn participant, the published meetings cancelled at once, and the open re-plan offer' });

type ErrorStatus = keyof typeof errorResponses;
const errors = (...statuses: ErrorStatus[]) => Object.fromEntries(statuses.map((s) => [s, errorResponses[s]]));
/** Reads of one event's data: no token, not allowed (staff only / not a participant), unknown event or participant. */
const READ = errors(401, 403, 404);
/** Reads that take a query (cursor, limit, format). */
const QUERY_READ = errors(400, 401, 403, 404);
/** Writes with a body on an event: bad body, no token, not allowed, unknown, and 409 once the event is cancelled. */
const WRITE = errors(400, 401, 403, 404, 409);

const agendaFormats = {
  description: 'The agenda: JSON (default), iCalendar (format=ics) or CSV (format=csv)',
  content: { 'application/json': { schema: Agenda }, 'text/calendar': { schema: z.string() }, 'text/csv': { schema: z.string() } },
};

/** Generated once from the same zod schemas the routes validate with. */
export function buildOpenApiDocument(): unknown {
  if (cached) return cached;
  const r = createOpenApiRegistry();
  // Each route documents its success and exactly the errors it answers (the contract test produces every one).
  const path = (
    method: 'get' | 'post' | 'patch' | 'put',
    p: string,
    summary: string,
    responses: Record<number, unknown>,
    extra: Record<string, unknown> = {},
  ) => r.registerPath({ method, path: p, summary, security: [{ bearerAuth: [] }], ...extra, responses: responses as never });
  r.register('Event', EventView);
  path(
    'post',
    '/events',
    'Create an event (hub staff)',
    { 201: withEtag(EventView, 'created'), ...errors(400, 401, 403) },
    { request: { body: jsonBody(EventInput) } },
  );
  path(
    'get',
    '/events',
    'List events (cursor pagination, id order)',
    { ...pageResponse(pageOf(EventView, 'EventPage'), 'a page of events'), ...errors(400, 401) },
    { request: { query: PageQuery } },
  );
  path(
    'post',
    '/events/{id}:cancel',
    'Cancel an event (hub staff): meeting.cancelled for every published meeting, agendas list them cancelled, the event becomes read-only (409 on changes); repeating it changes nothing',
    { 200: withEtag(EventView, 'the cancelled event'), ...errors(400, 401, 403, 404, 412), ...preconditionRequired },
    { request: { params: id, headers: ifMatch, body: jsonBody(EventCancellation) } },
  );
  path('get', '/events/{id}', 'One event', { 200: withEtag(EventView, 'the event'), ...errors(401, 404) }, { request: { params: id } });
  path(
    'patch',
    '/events/{id}',
    'Change an event (hub staff, If-Match). Sessions that lose a slot (now a break or outside the hours) or tables cancel the published meetings there at once (reason slot_unavailable) and open a re-plan offer',
    { 200: withEtag(EventView, 'the changed event'), ...WRITE, ...errors(412), ...preconditionRequired },
    { request: { params: id, headers: ifMatch, body: jsonBody(EventPatch) } },
  );
  path(
    'post',
    '/events/{id}/participants',
    'Register a participant from its organisation snapshot',
    {
      201: jsonBody(Participant, 'registered'),
      ...WRITE,
      422: { description: 'The organisation has no profile snapshot (unknown to this service)', content: errorResponses[400].content },
    },
    { request: { params: id, body: jsonBody(ParticipantRegistration) } },
  );
  path(
    'get',
    '/events/{id}/participants',
    'Participants (staff: all, in full; a participant: itself in full and, as cards, the visible validated participants it may meet). Cursor pagination.',
    { ...pageResponse(pageOf(z.union([Participant, ParticipantCard]), 'ParticipantPage'), 'a page of participants'), ...QUERY_READ },
    { request: { params: id, query: PageQuery } },
  );
  path(
    'patch',
    '/events/{id}/participants/{pid}',
    'Validate / VIP / availability. Withdrawing (status other than validated) or marking slots unavailable cancels the published meetings concerned at once (meeting.cancelled, agendas updated) and opens a re-plan offer on the schedule',
    { 200: jsonBody(Participant, 'the changed participant'), ...WRITE },
    { request: { params: idPid, body: jsonBody(ParticipantPatch) } },
  );
  path(
    'post',
    '/events/{id}/participants/{pid}:withdraw',
    'Withdraw a participant (hub staff or the participant itself): its published meetings are cancelled at once (meeting.cancelled, reason participant_withdrawn; agendas list them cancelled) and their places are offered for a re-plan that keeps every other published meeting. Repeating it changes nothing',
    { 200: jsonBody(Withdrawal, 'withdrawn'), ...errors(401, 403, 404, 409) },
    { request: { params: idPid } },
  );
  path(
    'get',
    '/events/{id}/participants/{pid}/suggestions',
    'Suggested meetings with the matcher explanation, best first (cursor pagination)',
    { ...pageResponse(pageOf(EventSuggestion, 'SuggestionPage'), 'a page of suggestions'), ...QUERY_READ },
    { request: { params: idPid, query: PageQuery } },
  );
  path(
    'get',
    '/events/{id}/participants/{pid}/agenda',
    'Personal agenda (json, ics, csv)',
    { 200: agendaFormats, ...QUERY_READ },
    {
      request: { params: idPid, query: z.object({ format: z.enum(['json', 'ics', 'csv']).optional() }) },
    },
  );
  path(
    'post',
    '/events/{id}/requests',
    'Send a meeting request',
    { 201: jsonBody(MeetingRequest, 'sent (or accepted at once when the event auto-accepts)'), ...WRITE },
    {
      request: { params: id, body: jsonBody(MeetingRequestInput) },
    },
  );
  path(
    'get',
    '/events/{id}/requests',
    'Requests (staff: all; participants: sent or received). Cursor pagination.',
    { ...pageResponse(pageOf(MeetingRequest, 'MeetingRequestPage'), 'a page of requests'), ...QUERY_READ },
    {
      request: { params: id, query: PageQuery },
    },
  );
  path(
    'post',
    '/events/{id}/requests/{rid}/accept',
    'Accept a received request',
    { 200: jsonBody(MeetingRequest, 'accepted'), ...errors(401, 403, 404, 409) },
    { request: { params: idRid } },
  );
  path(
    'post',
    '/events/{id}/requests/{rid}/decline',
    'Decline a received request (the pair is never scheduled)',
    { 200: jsonBody(MeetingRequest, 'declined'), ...errors(401, 403, 404, 409) },
    {
      request: { params: idRid },
    },
  );
  path(
    'post',
    '/events/{id}/schedule:generate',
    'Generate a draft schedule; returns the run report (objective, upperBound with bound.method lp | combinatorial, reasons). replan=keep pins every published meeting and takes the open re-plan offer. wait=false answers 202 at once (Location: the run) and runs in the background: poll GET /events/{id}/schedule/run until running is false, lastRun has the outcome; 409 while a run of the event is in progress',
    {
      200: withEtag(GeneratedSchedule, 'the draft and its run report'),
      202: {
        ...jsonBody(ScheduleRun, 'started in the background (wait=false)'),
        headers: { Location: { description: 'The run to poll: /events/{id}/schedule/run', schema: { type: 'string' as const } } },
      },
      ...WRITE,
      ...errors(429),
    },
    {
      request: { params: id, query: GenerateQuery },
    },
  );
  path(
    'get',
    '/events/{id}/schedule/run',
    'The schedule run in progress (hub staff): preparing, queued or running, with the optimiser progress (phase, objective, iterations, elapsedMs); lastRun: how the last background run (wait=false) ended',
    { 200: jsonBody(ScheduleRun, 'running: false when no run is in progress'), ...READ },
    { request: { params: id } },
  );
  path(
    'get',
    '/events/{id}/schedule',
    'Draft and published schedule (hub staff), the meetings cancelled, and the open re-plan offer (replanOffer) after immediate cancellations',
    { 200: withEtag(ScheduleView, 'the schedule'), ...READ },
    { request: { params: id } },
  );
  path(
    'patch',
    '/events/{id}/schedule',
    'Move / swap / remove draft meetings (If-Match required)',
    { 200: withEtag(ScheduleView, 'the edited schedule'), ...WRITE, ...errors(412), ...preconditionRequired },
    {
      request: { params: id, headers: ifMatch, body: jsonBody(ScheduleEdits) },
    },
  );
  path(
    'post',
    '/events/{id}/schedule:publish',
    'Publish the draft (If-Match required). wait=false answers 202 at once (Location: the publication) and publishes in the background — at 1,000 participants a publish takes seconds (the whole schedule document and every agenda are rewritten): poll GET /events/{id}/schedule/publication until running is false, lastPublication has the outcome (a stale If-Match is then a failed precondition_failed); 409 while a publication of the event is in progress',
    {
      200: withEtag(PublishedSchedule, 'published'),
      202: {
        ...jsonBody(SchedulePublication, 'started in the background (wait=false)'),
        headers: { Location: { description: 'The publication to poll: /events/{id}/schedule/publication', schema: { type: 'string' as const } } },
      },
      ...errors(400, 401, 403, 404, 409, 412),
      ...preconditionRequired,
    },
    { request: { params: id, headers: ifMatch, query: PublishQuery } },
  );
  path(
    'get',
    '/events/{id}/schedule/publication',
    'The publication in progress (hub staff), started with wait=false; lastPublication: how the last one ended (version, number, events, or the error)',
    { 200: jsonBody(SchedulePublication, 'running: false when no publication is in progress'), ...READ },
    { request: { params: id } },
  );
  path(
    'post',
    '/events/{id}/meetings/{mid}/check-in',
    'Record a check-in',
    { 200: jsonBody(Attendance, 'recorded'), ...WRITE },
    { request: { params: idMid, body: jsonBody(AttendanceInput) } },
  );
  path(
    'post',
    '/events/{id}/meetings/{mid}/no-show',
    'Record a no-show',
    { 200: jsonBody(Attendance, 'recorded'), ...WRITE },
    { request: { params: idMid, body: jsonBody(AttendanceInput) } },
  );
  path(
    'put',
    '/events/{id}/meetings/{mid}/feedback',
    'Feedback and follow-up on an own meeting',
    { 200: jsonBody(Feedback, 'recorded'), ...WRITE },
    { request: { params: idMid, body: jsonBody(FeedbackInput) } },
  );
  path(
    'get',
    '/events/{id}/analytics',
    'Meetings held, no-show rate, feedback, cooperation rate (hub staff)',
    { 200: jsonBody(EventAnalytics, 'the figures'), ...READ },
    { request: { params: id } },
  );
  cached = generateOpenApi(r, {
    title: 'Events service',
    version: '1.0.0',
    description: 'B2B brokerage events: sessions, requests, optimised schedules, agendas, feedback.',
  });
  return cached;
}
