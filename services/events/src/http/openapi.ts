import { createOpenApiRegistry, errorResponses, generateOpenApi, jsonBody, z } from '@lm/contracts';
import { AttendanceInput, EventInput, EventPatch, EventView, FeedbackInput, MeetingRequestInput, ParticipantPatch, ParticipantRegistration, ScheduleEdits } from '../domain/event.schemas';
import { GenerateQuery } from './schedule.routes';

let cached: unknown;

const ok = (description: string, schema: z.ZodType = z.object({}).passthrough()) => ({ 200: jsonBody(schema, description) });
const id = z.object({ id: z.string() });
const idPid = id.extend({ pid: z.string() });
const idRid = id.extend({ rid: z.string() });
const idMid = id.extend({ mid: z.string() });
const ifMatch = z.object({ 'if-match': z.string().optional().describe('"<version>" from the ETag') });

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
  path('get', '/events', 'List events');
  path('get', '/events/{id}', 'One event', { request: { params: id } });
  path('patch', '/events/{id}', 'Change an event (hub staff, If-Match)', { request: { params: id, headers: ifMatch, body: jsonBody(EventPatch) } });
  path('post', '/events/{id}/participants', 'Register a participant from its organisation snapshot', {
    request: { params: id, body: jsonBody(ParticipantRegistration) },
    responses: { ...ok('registered'), ...errorResponses, 422: { description: 'The organisation has no profile snapshot (unknown to this service)', content: errorResponses[400].content } },
  });
  path('get', '/events/{id}/participants', 'Participants (staff: all; participants: visible ones they may meet)', { request: { params: id } });
  path('patch', '/events/{id}/participants/{pid}', 'Validate / VIP / availability', { request: { params: idPid, body: jsonBody(ParticipantPatch) } });
  path('get', '/events/{id}/participants/{pid}/suggestions', 'Suggested meetings with the matcher explanation', { request: { params: idPid } });
  path('get', '/events/{id}/participants/{pid}/agenda', 'Personal agenda (json, ics, csv)', {
    request: { params: idPid, query: z.object({ format: z.enum(['json', 'ics', 'csv']).optional() }) },
    responses: { 200: agendaFormats, ...errorResponses },
  });
  path('post', '/events/{id}/requests', 'Send a meeting request', { request: { params: id, body: jsonBody(MeetingRequestInput) } });
  path('get', '/events/{id}/requests', 'Requests (staff: all; participants: own)', { request: { params: id } });
  path('post', '/events/{id}/requests/{rid}/accept', 'Accept a received request', { request: { params: idRid } });
  path('post', '/events/{id}/requests/{rid}/decline', 'Decline a received request (the pair is never scheduled)', { request: { params: idRid } });
  path('post', '/events/{id}/schedule:generate', 'Generate a draft schedule; returns the run report', { request: { params: id, query: GenerateQuery } });
  path('get', '/events/{id}/schedule', 'Draft and published schedule (hub staff)', { request: { params: id } });
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
