import { lineText, z } from '@lm/contracts';

/**
 * HTTP/stored shapes of the events service, written once (zod → validation + OpenAPI); this file:
 * the event itself (sessions, rules, status). Participants, requests, schedules, attendance and
 * agendas have a `*.schemas.ts` each.
 */
const isIanaZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');
/** An ISO 8601 date-time with its offset, as every stored and shown timestamp. */
export const isoDateTime = z.string().datetime({ offset: true });

export const SessionInput = z
  .object({
    id: z
      .string()
      .trim()
      .min(1)
      .max(40)
      .regex(/^[\w-]+$/)
      .optional(),
    name: lineText({ max: 120 }).optional(),
    // iso.date checks the calendar as well as the shape: 2027-02-30 passed the old regex and was stored.
    date: z.iso.date({ message: 'must be a calendar date YYYY-MM-DD' }),
    start: hhmm,
    end: hhmm,
    slotMinutes: z.number().int().min(5).max(240),
    breakSlots: z.array(z.number().int().nonnegative()).max(50).default([]),
    tables: z.number().int().min(1).max(2000),
  })
  .refine((s) => s.start < s.end, { message: 'start must be before end', path: ['end'] })
  .openapi('SessionInput');
export type SessionInput = z.infer<typeof SessionInput>;
export type Session = SessionInput & { id: string };

export const RequestMode = z.enum(['receiver_accepts', 'auto_accept']);

const EventFields = z.object({
  title: lineText({ min: 3, max: 200 }),
  venue: lineText({ max: 300 }).optional(),
  online: z.boolean().default(false),
  timeZone: z.string().refine(isIanaZone, 'must be an IANA time zone, e.g. Europe/Rome'),
  sessions: z.array(SessionInput).min(1).max(20),
  participantTypes: z
    .array(lineText({ min: 1, max: 40 }))
    .min(1)
    .max(20)
    .default(['company', 'research_centre', 'investor']),
  /** Unordered pairs of participant types that may meet; omitted = everyone may meet everyone. */
  meetRules: z
    .array(z.object({ a: z.string(), b: z.string() }))
    .max(200)
    .optional(),
  caps: z.object({ perSession: z.number().int().min(0).max(100).optional(), total: z.number().int().min(0).max(200).optional() }).default({}),
  requestMode: RequestMode.default('receiver_accepts'),
  /** Pending requests stop counting for the scheduler after this many hours. */
  requestExpiryHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(72),
  registration: z.object({ opensAt: isoDateTime, closesAt: isoDateTime }).optional(),
  /** Fairness target of the scheduler. */
  minMeetings: z.number().int().min(0).max(20).default(2),
});

function checkEventRules(
  e: { sessions: SessionInput[]; participantTypes: string[]; meetRules?: { a: string; b: string }[]; venue?: string; online: boolean },
  ctx: z.RefinementCtx,
) {
  const ids = e.sessions.map((s, i) => s.id ?? `s${i + 1}`);
  if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['sessions'], message: 'session ids must be unique' });
  for (const [i, r] of (e.meetRules ?? []).entries()) {
    for (const t of [r.a, r.b])
      if (!e.participantTypes.includes(t)) ctx.addIssue({ code: 'custom', path: ['meetRules', i], message: `unknown participant type ${t}` });
  }
  if (!e.online && !e.venue) ctx.addIssue({ code: 'custom', path: ['venue'], message: 'venue is required unless the event is online' });
}

export const EventInput = EventFields.superRefine(checkEventRules).openapi('EventInput');
export type EventInput = z.infer<typeof EventInput>;
export const EventPatch = EventFields.partial().strict().openapi('EventPatch');
export type EventPatch = z.infer<typeof EventPatch>;

export const EVENT_STATUSES = ['active', 'cancelled'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export interface EventDoc extends Omit<EventInput, 'sessions'> {
  id: string;
  sessions: Session[];
  /** Absent on events stored before cancellation existed: read as 'active'. */
  status?: EventStatus;
  cancelledAt?: string;
  cancellationReason?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}
export const EventCancellation = z
  .object({ reason: lineText({ max: 500 }).optional() })
  .strict()
  .openapi('EventCancellation');

export const EventView = EventFields.extend({
  id: z.string(),
  sessions: z.array(SessionInput),
  status: z.enum(EVENT_STATUSES),
  cancelledAt: isoDateTime.optional(),
  cancellationReason: z.string().optional(),
  version: z.number().int(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
}).openapi('Event');

/** Meet rules as the scheduler takes them (stored as objects: FerretDB refuses nested arrays). */
export function allowedTypePairs(ev: { meetRules?: { a: string; b: string }[] }): [string, string][] | null {
  return ev.meetRules ? ev.meetRules.map((r) => [r.a, r.b]) : null;
}
