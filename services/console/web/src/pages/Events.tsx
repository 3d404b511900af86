import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { allItems, ApiError, cursorQuery, eventsApi, ok } from '../api/client';
import type { EventInput, Event as EventView, Participant } from '../api/generated/events';
import { isStaff, useAuth } from '../auth';
import { useI18n } from '../i18n';
import { formatDay } from '../time';
import { Field, Page, QueryView } from '../ui';
import { participantsOf } from './event.queries';

interface SessionDraft {
  /** Kept on edit: meetings and availability refer to sessions by id. */
  id?: string | undefined;
  date: string;
  start: string;
  end: string;
  slotMinutes: string;
  tables: string;
  breakSlots: string;
}

const numbers = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .map(Number);

const sessionDraftOf = (s: EventView['sessions'][number]): SessionDraft => ({
  id: s.id,
  date: s.date,
  start: s.start,
  end: s.end,
  slotMinutes: String(s.slotMinutes),
  tables: String(s.tables),
  breakSlots: (s.breakSlots ?? []).join(', '),
});

/**
 * Create (no `initial`) or edit an event: sessions, slots, tables, who-meets-whom rules, caps,
 * request mode and expiry. An edit is sent with If-Match, so two organisers never overwrite
 * each other silently (412).
 */
export function EventForm({ initial, onSaved }: { initial?: EventView; onSaved: (ev: EventView) => void }) {
  const { t } = useI18n();
  const [title, setTitle] = useState(initial?.title ?? '');
  const [venue, setVenue] = useState(initial?.venue ?? '');
  const [online, setOnline] = useState(initial?.online ?? false);
  const [timeZone, setTimeZone] = useState(initial?.timeZone ?? 'Europe/Rome');
  const [sessions, setSessions] = useState<SessionDraft[]>(
    initial ? initial.sessions.map(sessionDraftOf) : [{ date: '', start: '09:00', end: '12:00', slotMinutes: '20', tables: '10', breakSlots: '' }],
  );
  const [rules, setRules] = useState((initial?.meetRules ?? []).map((r) => `${r.a}-${r.b}`).join('\n'));
  const [capSession, setCapSession] = useState(String(initial?.caps?.perSession ?? 0));
  const [capTotal, setCapTotal] = useState(String(initial?.caps?.total ?? 0));
  const [expiry, setExpiry] = useState(String(initial?.requestExpiryHours ?? 72));
  const [mode, setMode] = useState<'receiver_accepts' | 'auto_accept'>(initial?.requestMode ?? 'receiver_accepts');
  const create = useMutation({
    mutationFn: () => {
      const meetRules = rules
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .map((l) => {
          const [a = '', b = ''] = l.split(/\s*[-–,]\s*/);
          return { a, b };
        });
      const caps = { ...(Number(capSession) > 0 ? { perSession: Number(capSession) } : {}), ...(Number(capTotal) > 0 ? { total: Number(capTotal) } : {}) };
      const body: EventInput = {
        title,
        ...(venue.trim() ? { venue: venue.trim() } : {}),
        online,
        timeZone,
        sessions: sessions.map((s) => ({
          ...(s.id ? { id: s.id } : {}),
          date: s.date,
          start: s.start,
          end: s.end,
          slotMinutes: Number(s.slotMinutes),
          tables: Number(s.tables),
          breakSlots: numbers(s.breakSlots),
        })),
        ...(meetRules.length ? { meetRules } : {}),
        caps,
        requestMode: mode,
        requestExpiryHours: Number(expiry),
      } as EventInput;
      if (!initial) return ok(eventsApi.POST('/events', { body }));
      return ok(eventsApi.PATCH('/events/{id}', { params: { path: { id: initial.id }, header: { 'if-match': `"${initial.version}"` } }, body }));
    },
    onSuccess: (ev: EventView) => onSaved(ev),
  });
  const errors = create.error instanceof ApiError ? create.error.fieldErrors() : {};
  const setSession = (i: number, patch: Partial<SessionDraft>) => setSessions(sessions.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="event-form-title">
      <h2 id="event-form-title">{initial ? t('editEvent') : t('newEvent')}</h2>
      {create.error instanceof ApiError && (
        <div className="error" role="alert">
          <p>{create.error.message}</p>
          <ul>
            {create.error.details.map((d, i) => (
              <li key={i}>
                <code>{d.field.replace(/^body\./, '')}</code>: {d.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <Field label={t('title')} error={errors.title}>
        {(p) => <input {...p} name="title" value={title} onChange={(e) => setTitle(e.target.value)} />}
      </Field>
      <div className="row">
        <Field label={t('venue')} error={errors.venue}>
          {(p) => <input {...p} name="venue" value={venue} onChange={(e) => setVenue(e.target.value)} />}
        </Field>
        <Field label={t('timeZone')} error={errors.timeZone}>
          {(p) => <input {...p} name="timeZone" value={timeZone} onChange={(e) => setTimeZone(e.target.value)} />}
        </Field>
      </div>
      <label className="check">
        <input type="checkbox" checked={online} onChange={(e) => setOnline(e.target.checked)} /> {t('online')}
      </label>
      <fieldset>
        <legend>{t('sessions')}</legend>
        {sessions.map((s, i) => (
          <div className="row session" key={i}>
            <Field label={t('date')} error={errors[`sessions.${i}.date`]}>
              {(p) => <input {...p} name={`sessions.${i}.date`} type="date" value={s.date} onChange={(e) => setSession(i, { date: e.target.value })} />}
            </Field>
            <Field label={t('start')} error={errors[`sessions.${i}.start`]}>
              {(p) => <input {...p} type="time" value={s.start} onChange={(e) => setSession(i, { start: e.target.value })} />}
            </Field>
            <Field label={t('end')} error={errors[`sessions.${i}.end`]}>
              {(p) => <input {...p} type="time" value={s.end} onChange={(e) => setSession(i, { end: e.target.value })} />}
            </Field>
            <Field label={t('slotMinutes')} error={errors[`sessions.${i}.slotMinutes`]}>
              {(p) => (
                <input
                  {...p}
                  name={`sessions.${i}.slotMinutes`}
                  type="number"
                  value={s.slotMinutes}
                  onChange={(e) => setSession(i, { slotMinutes: e.target.value })}
                />
              )}
            </Field>
            <Field label={t('tables')} error={errors[`sessions.${i}.tables`]}>
              {(p) => <input {...p} name={`sessions.${i}.tables`} type="number" value={s.tables} onChange={(e) => setSession(i, { tables: e.target.value })} />}
            </Field>
            <Field label={t('breakSlots')} error={errors[`sessions.${i}.breakSlots`]}>
              {(p) => <input {...p} value={s.breakSlots} onChange={(e) => setSession(i, { breakSlots: e.target.value })} />}
            </Field>
            {sessions.length > 1 && (
              <button type="button" onClick={() => setSessions(sessions.filter((_, j) => j !== i))}>
                {t('remove')}
              </button>
            )}
          </div>
        ))}
        <button type="button" onClick={() => setSessions([...sessions, { ...sessions[sessions.length - 1]!, id: undefined }])}>
          {t('addSession')}
        </button>
      </fieldset>
      <Field label={t('meetRules')} error={errors.meetRules}>
        {(p) => <textarea {...p} rows={2} value={rules} onChange={(e) => setRules(e.target.value)} />}
      </Field>
      <div className="row">
        <Field label={t('capPerSession')} error={errors['caps.perSession']}>
          {(p) => <input {...p} type="number" value={capSession} onChange={(e) => setCapSession(e.target.value)} />}
        </Field>
        <Field label={t('capTotal')} error={errors['caps.total']}>
          {(p) => <input {...p} type="number" value={capTotal} onChange={(e) => setCapTotal(e.target.value)} />}
        </Field>
        <Field label={t('requestExpiry')} error={errors.requestExpiryHours}>
          {(p) => <input {...p} type="number" value={expiry} onChange={(e) => setExpiry(e.target.value)} />}
        </Field>
        <Field label={t('requestMode')}>
          {(p) => (
            <select {...p} value={mode} onChange={(e) => setMode(e.target.value as typeof mode)}>
              <option value="receiver_accepts">{t('mode_receiver_accepts')}</option>
              <option value="auto_accept">{t('mode_auto_accept')}</option>
            </select>
          )}
        </Field>
      </div>
      <button type="submit" className="primary" disabled={create.isPending}>
        {create.isPending ? t('saving') : initial ? t('save') : t('createEvent')}
      </button>
    </form>
  );
}

/** The events a company's organisation takes part in (the participant list names it). */
async function myEvents(events: EventView[], org: string): Promise<{ event: EventView; participant: Participant }[]> {
  const mine = await Promise.all(
    events.map(async (event) => {
      // Events it does not take part in answer 403: they are simply not its events.
      const participants = await participantsOf(event.id).catch(() => [] as Participant[]);
      const participant = participants.find((p) => p.organisationId === org && p.status !== 'withdrawn');
      return participant ? { event, participant } : undefined;
    }),
  );
  return mine.filter((x): x is { event: EventView; participant: Participant } => Boolean(x));
}

export function EventsPage() {
  const { t, lang } = useI18n();
  const { session } = useAuth();
  const staff = isStaff(session);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const events = useQuery({
    queryKey: ['events', staff ? 'all' : session?.org],
    queryFn: async () => {
      const all = await allItems<EventView>((cursor) => ok(eventsApi.GET('/events', { params: { ...cursorQuery(cursor) } })));
      return staff ? all.map((event) => ({ event })) : myEvents(all, session?.org ?? '');
    },
  });
  return (
    <Page
      title={t('eventsTitle')}
      actions={
        staff && !creating ? (
          <button type="button" className="primary" onClick={() => setCreating(true)}>
            {t('newEvent')}
          </button>
        ) : undefined
      }
    >
      {creating && (
        <EventForm
          onSaved={(ev) => {
            void queryClient.invalidateQueries({ queryKey: ['events'] });
            navigate(`/events/${encodeURIComponent(ev.id)}`);
          }}
        />
      )}
      <QueryView query={events}>
        {(list) =>
          list.length === 0 ? (
            <p className="notice">{staff ? t('none') : t('notRegistered')}</p>
          ) : (
            <ul className="event-list">
              {list.map(({ event }) => (
                <li key={event.id} className="card">
                  <h2>
                    <Link to={`/events/${encodeURIComponent(event.id)}`}>{event.title}</Link>
                  </h2>
                  <p className="muted">
                    {event.sessions.map((s) => `${formatDay(s.date, lang)} ${s.start}–${s.end}`).join(' · ')} ({event.timeZone}) ·{' '}
                    {event.online ? t('online') : event.venue}
                  </p>
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </Page>
  );
}
