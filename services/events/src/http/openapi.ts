import { createOpenApiRegistry, errorResponses, generateOpenApi, jsonBody, PageQuery, pageOf, z } from '@lm/contracts';
import {
  AttendanceInput,
  Availability,
  EventCancellation,
  EventInput,
  EventPatch,
  EventView,
  FeedbackInput,
  MeetingRequestInput,
  PARTICIPANT_STATUSES,
  ParticipantPatch,
  ParticipantRegistration,
  ReplanOffer,
  REQUEST_STATUSES,
  ScheduleEdits,
} from '../domain/event.schemas';
import { GenerateQuery } from './schedule.routes';

let cached: unknown;

const ok = (description: string, schema: z.ZodType = z.object({}).passthrough()) => ({ 200: jsonBody(schema, description) });
const id = z.object({ id: z.string() });
const idPid = id.extend({ pid: z.string() });
const idRid = id.extend({ rid: z.string() });
const idMid = id.extend({ mid: z.string() });
const ifMatch = z.object({ 'if-match': z.string().optional().describe('"<version>" from the ETag') });

const OrgSummaryView = z
  .object({ name: z.string(), kind: z.string(), subtype: z.string().optional(), province: z.string().optional(), s3Areas: z.array(z.string()), specialties: z.array(z.string()), description: z.string().optional() })
  .openapi('OrganisationSummary');
const ParticipantCardView = z
  .object({ id: z.string(), eventId: z.string(), organisationId: z.string(), type: z.string(), organisation: OrgSummaryView })
  .openapi('ParticipantCard', { description: 'What participants see of each other' });
const ParticipantView = ParticipantCardView.extend({
  availability: Availability,
  vip: z.boolean(),
  visible: z.boolean(),
  status: z.enum(PARTICIPANT_STATUSES),
  version: z.number().int(),
  registeredAt: z.string(),
}).openapi('Participant', { description: 'The full record: staff see it for everyone, a participant for itself' });
const RequestView = z
  .object({
    id: z.string(),
    eventId: z.string(),
    from: z.string(),
    to: z.string(),
    fromOrganisationId: z.string(),
    toOrganisationId: z.string(),
    message: z.string().optional(),
    priority: z.enum(['must_meet', 'would_like']),
    status: z.enum(REQUEST_STATUSES),
    expiresAt: z.string().optional(),
    createdAt: z.string(),
    decidedAt: z.string().optional(),
    version: z.number().int(),
  })
  .openapi('MeetingRequest');
const SuggestionView = z
  .object({ participantId: z.string(), organisationId: z.string(), name: z.string(), type: z.string(), score: z.number(), rank: z.number().int(), explanation: z.unknown() })
  .openapi('EventSuggestion');
const ScheduleRunView = z
  .object({
    running: z.boolean(),
    eventId: z.string(),
    state: z.enum(['queued', 'running']).optional(),
    startedAt: z.string().optional(),
    budgetMs: z.number().int().optional(),
    progress: z.object({ phase: z.string(), objective: z.number(), iterations: z.number().int(), elapsedMs: z.number() }).optional(),
  })
  .openapi('ScheduleRun');
const MeetingView = z
  .object({ id: z.string(), sessionId: z.string(), slot: z.number().int(), table: z.number().int(), a: z.string(), b: z.string(), source: z.enum(['request', 'suggestion', 'manual']), requestIds: z.array(z.string()), value: z.number() })
  .openapi('Meeting');
const WithdrawalView = z
  .object({ participant: ParticipantView, cancelledMeetings: z.array(MeetingView), replan: ReplanOffer.nullable() })
  .openapi('Withdrawal', { description: 'The withdrawn participant, the published meetings cancelled at once, and the open re-plan offer' });
const pageResponse = (schema: z.ZodType, description: string) => ({ 200: jsonBody(schema, description), ...errorResponses });

const agendaFormats = {
  description: 'The agenda: JSON (default), iCalendar (format=ics) or CSV (format=csv)',
  content: { 'application/json': { schema: z.object({}).passthrough() }, 'text/calendar': { schema: z.string() }, 'text/csv': { schema: z.string() } },
};

/** Generated once from the same zod schemas the routes validate with. */
export function buildOpenApiDocument(): unknown {
  if (cached) return cached;
  const r = createOpenApiRegistry();
  const path = (method: 'get' | 'post' | 'patch' | 'put', p: string, summary: string, extra: Record<string, unknown> = {}) =>
    r.registerPath({ method, path: p, summary, security: [{ bearerAuth: [] }], responses: { ...ok(summary), ...errorResponses }, ...extra });
  r.register('Event', EventView);
  path('post', '/events', 'Create an event (hub staff)', { request: { body: jsonBody(EventInput) }, responses: { 201: jsonBody(EventView, 'created'), ...errorResponses } });
  path('get', '/events', 'List events (cursor pagination, id order)', { request: { query: PageQuery }, responses: pageResponse(pageOf(EventView, 'EventPage'), 'a page of events') });
  path('post', '/events/{id}:cancel', 'Cancel an event (hub staff): meeting.cancelled for every published meeting, agendas list them cancelled, the event becomes read-only (409 on changes); repeating it changes nothing', {
    request: { params: id, headers: ifMatch, body: jsonBody(EventCancellation) },
    responses: { 200: jsonBody(EventView, 'the cancelled event'), ...errorResponses },
  });
  path('get', '/events/{id}', 'One event', { request: { params: id } });
  path('patch', '/events/{id}', 'Change an event (hub staff, If-Match). Sessions that lose a slot (now a break or outside the hours) or tables cancel the published meetings there at once (reason slot_unavailable) and open a re-plan offer', {
    request: { params: id, headers: ifMatch, body: jsonBody(EventPatch) },
  });
  path('post', '/events/{id}/participants', 'Register a participant from its organisation snapshot', {
    request: { params: id, body: jsonBody(ParticipantRegistration) },
    responses: { ...ok('registered'), ...errorResponses, 422: { description: 'The organisation has no profile snapshot (unknown to this service)', content: errorResponses[400].content } },
  });
  path('get', '/events/{id}/participants', 'Participants (staff: all, in full; a participant: itself in full and, as cards, the visible validated participants it may meet). Cursor pagination.', {
    request: { params: id, query: PageQuery },
    responses: pageResponse(pageOf(z.union([ParticipantView, ParticipantCardView]), 'ParticipantPage'), 'a page of participants'),
  });
  path(
    'patch',
    '/events/{id}/participants/{pid}',
    'Validate / VIP / availability. Withdrawing (status other than validated) or marking slots unavailable cancels the published meetings concerned at once (meeting.cancelled, agendas updated) and opens a re-plan offer on the schedule',
    { request: { params: idPid, body: jsonBody(ParticipantPatch) } },
  );
  path(
    'post',
    '/events/{id}/participants/{pid}:withdraw',
    'Withdraw a participant (hub staff or the participant itself): its published meetings are cancelled at once (meeting.cancelled, reason participant_withdrawn; agendas list them cancelled) and their places are offered for a re-plan that keeps every other published meeting. Repeating it changes nothing',
    { request: { params: idPid }, responses: { 200: jsonBody(WithdrawalView, 'withdrawn'), ...errorResponses } },
  );
  path('get', '/events/{id}/participants/{pid}/suggestions', 'Suggested meetings with the matcher explanation, best first (cursor pagination)', {
    request: { params: idPid, query: PageQuery },
    responses: pageResponse(pageOf(SuggestionView, 'SuggestionPage'), 'a page of suggestions'),
  });
  path('get', '/events/{id}/participants/{pid}/agenda', 'Personal agenda (json, ics, csv)', {
    request: { params: idPid, query: z.object({ format: z.enum(['json', 'ics', 'csv']).optional() }) },
    responses: { 200: agendaFormats, ...errorResponses },
  });
  path('post', '/events/{id}/requests', 'Send a meeting request', { request: { params: id, body: jsonBody(MeetingRequestInput) } });
  path('get', '/events/{id}/requests', 'Requests (staff: all; participants: sent or received). Cursor pagination.', {
    request: { params: id, query: PageQuery },
    responses: pageResponse(pageOf(RequestView, 'MeetingRequestPage'), 'a page of requests'),
  });
  path('post', '/events/{id}/requests/{rid}/accept', 'Accept a received request', { request: { params: idRid } });
  path('post', '/events/{id}/requests/{rid}/decline', 'Decline a received request (the pair is never scheduled)', { request: { params: idRid } });
  path(
    'post',
    '/events/{id}/schedule:generate',
    'Generate a draft schedule; returns the run report (objective, upperBound with bound.method lp | combinatorial, reasons). replan=keep pins every published meeting and takes the open re-plan offer',
    { request: { params: id, query: GenerateQuery } },
  );
  path('get', '/events/{id}/schedule/run', 'The schedule run in progress (hub staff): queued or running, with the optimiser progress (phase, objective, iterations, elapsedMs)', {
    request: { params: id },
    responses: { 200: jsonBody(ScheduleRunView, 'running: false when no run is in progress'), ...errorResponses },
  });
  path('get', '/events/{id}/schedule', 'Draft and published schedule (hub staff), the meetings cancelled, and the open re-plan offer (replanOffer) after immediate cancellations', { request: { params: id } });
  r.register('ReplanOffer', ReplanOffer);
  path('patch', '/events/{id}/schedule', 'Move / swap / remove draft meetings (If-Match required)', {
    request: { params: id, headers: ifMatch, body: jsonBody(ScheduleEdits) },
    responses: { ...ok('edited'), ...errorResponses, 428: { description: 'If-Match missing', content: errorResponses[412].content } },
  });
  path('post', '/events/{id}/schedule:publish', 'Publish the draft', { request: { params: id, headers: ifMatch } });
  path('post', '/events/{id}/meetings/{mid}/check-in', 'Record a check-in', { request: { params: idMid, body: jsonBody(AttendanceInput) } });
  path('post', '/events/{id}/meetings/{mid}/no-show', 'Record a no-show', { request: { params: idMid, body: jsonBody(AttendanceInput) } });
  path('put', '/events/{id}/meetings/{mid}/feedback', 'Feedback and follow-up on an own meeting', { request: { params: idMid, body: jsonBody(FeedbackInput) } });
  path('get', '/events/{id}/analytics', 'Meetings held, no-show rate, feedback, cooperation rate (hub staff)', { request: { params: id } });
  cached = generateOpenApi(r, { title: 'Events service', version: '1.0.0', description: 'B2B brokerage events: sessions, requests, optimised schedules, agendas, feedback.' });
  return cached;
}
