import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { NavLink, Route, Routes, useParams } from 'react-router';
import { eventsApi, ok, profilesApi } from '../api/client';
import type { Event as EventView, MeetingRequest, Participant } from '../api/generated/events';
import { isStaff, useAuth } from '../auth';
import { useI18n } from '../i18n';
import { formatDay, formatInZone } from '../time';
import { ErrorView, Field, Page, QueryView, TableHead, TableWrap } from '../ui';
import { AgendaTab } from './Agenda';
import { AnalyticsTab } from './Analytics';
import { CheckInTab } from './CheckIn';
import { eventKey, namesOf, useEvent, useParticipants, useRequests } from './event.queries';
import { EventForm } from './Events';
import { ScheduleTab } from './Schedule';

function Overview({ event }: { event: EventView }) {
  const { t, lang } = useI18n();
  const { session } = useAuth();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  if (editing)
    return (
      <EventForm
        initial={event}
        onSaved={(saved) => {
          queryClient.setQueryData(eventKey(event.id), saved);
          setEditing(false);
        }}
      />
    );
  return (
    <div className="card">
      {isStaff(session) && (
        <button type="button" onClick={() => setEditing(true)}>
          {t('editEvent')}
        </button>
      )}
      <dl className="facts">
        <dt>{t('venue')}</dt>
        <dd>{event.online ? t('online') : event.venue}</dd>
        <dt>{t('timeZone')}</dt>
        <dd>{event.timeZone}</dd>
        <dt>{t('sessions')}</dt>
        <dd>
          <ul>
            {event.sessions.map((s, i) => (
              <li key={s.id ?? i}>
                {formatDay(s.date, lang)}, {s.start}–{s.end} · {s.slotMinutes} min · {s.tables} {t('tables').toLowerCase()}
              </li>
            ))}
          </ul>
        </dd>
        <dt>{t('requestExpiry')}</dt>
        <dd>{event.requestExpiryHours}</dd>
        <dt>{t('requestMode')}</dt>
        <dd>{t(`mode_${event.requestMode}`)}</dd>
        {event.meetRules && (
          <>
            <dt>{t('meetRules')}</dt>
            <dd>{event.meetRules.map((r) => `${r.a} – ${r.b}`).join(', ')}</dd>
          </>
        )}
      </dl>
    </div>
  );
}

function RegisterParticipant({ eventId }: { eventId: string }) {
  const { t, label } = useI18n();
  const queryClient = useQueryClient();
  const [q, setQ] = useState('');
  const [applied, setApplied] = useState('');
  const found = useQuery({
    queryKey: ['organisations-search', applied],
    queryFn: () => ok(profilesApi.GET('/organisations', { params: { query: { q: applied, limit: 10 } } })),
    enabled: applied.length > 0,
  });
  const register = useMutation({
    mutationFn: (organisationId: string) =>
      ok(eventsApi.POST('/events/{id}/participants', { params: { path: { id: eventId } }, body: { organisationId } as never })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...eventKey(eventId), 'participants'] }),
  });
  return (
    <section className="card" aria-labelledby="register-title">
      <h2 id="register-title">{t('registerParticipant')}</h2>
      <form
        className="row"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(q.trim());
        }}
      >
        <Field label={t('organisationSearch')}>
          {(p) => <input {...p} type="search" name="organisation-q" value={q} onChange={(e) => setQ(e.target.value)} />}
        </Field>
        <button type="submit">{t('search')}</button>
      </form>
      {register.isError && <ErrorView error={register.error} />}
      {applied && (
        <QueryView query={found}>
          {(page) => (
            <ul className="plain">
              {page.items.map((o) => (
                <li key={o.id}>
                  {o.legalName} <span className="muted">({label(o.kind)})</span>{' '}
                  <button type="button" disabled={register.isPending} onClick={() => register.mutate(o.id)} aria-label={`${t('register')} ${o.legalName}`}>
                    {t('register')}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </QueryView>
      )}
    </section>
  );
}

function ParticipantsTab({ eventId }: { eventId: string }) {
  const { t, label } = useI18n();
  const participants = useParticipants(eventId);
  const queryClient = useQueryClient();
  const patch = useMutation({
    mutationFn: ({ pid, status }: { pid: string; status: Participant['status'] }) =>
      ok(eventsApi.PATCH('/events/{id}/participants/{pid}', { params: { path: { id: eventId, pid } }, body: { status } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...eventKey(eventId), 'participants'] }),
  });
  return (
    <>
      <RegisterParticipant eventId={eventId} />
      {patch.isError && <ErrorView error={patch.error} />}
      <QueryView query={participants}>
        {(list) =>
          list.length === 0 ? (
            <p className="notice">{t('none')}</p>
          ) : (
            <TableWrap label={t('participants')}>
              <table className="participants">
                <caption className="sr-only">{t('participants')}</caption>
                <TableHead columns={[t('name'), t('type'), t('status'), { hidden: t('status') }]} />
                <tbody>
                  {list.map((p) => (
                    <tr key={p.id}>
                      <td>{p.organisation.name}</td>
                      <td>{label(p.type)}</td>
                      <td>{p.status}</td>
                      <td>
                        {p.status === 'registered' && (
                          <button type="button" onClick={() => patch.mutate({ pid: p.id, status: 'validated' })}>
                            {t('validate')}
                          </button>
                        )}
                        {p.status !== 'withdrawn' && (
                          <button type="button" onClick={() => patch.mutate({ pid: p.id, status: 'withdrawn' })}>
                            {t('withdraw')}
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )
        }
      </QueryView>
    </>
  );
}

function SendRequest({ eventId, participants, me }: { eventId: string; participants: Participant[]; me: Participant | undefined }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const others = participants.filter((p) => p.id !== me?.id && p.status !== 'withdrawn');
  const [from, setFrom] = useState(me?.id ?? others[0]?.id ?? '');
  const [to, setTo] = useState(others.find((p) => p.id !== from)?.id ?? '');
  const [priority, setPriority] = useState<'must_meet' | 'would_like'>('would_like');
  const [message, setMessage] = useState('');
  const send = useMutation({
    mutationFn: () =>
      ok(
        eventsApi.POST('/events/{id}/requests', {
          params: { path: { id: eventId } },
          body: { to, priority, ...(me ? {} : { from }), ...(message.trim() ? { message: message.trim() } : {}) },
        }),
      ),
    onSuccess: () => {
      setMessage('');
      void queryClient.invalidateQueries({ queryKey: [...eventKey(eventId), 'requests'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send.mutate();
  };
  const options = (list: Participant[]) =>
    list.map((p) => (
      <option key={p.id} value={p.id}>
        {p.organisation.name}
      </option>
    ));
  return (
    <form className="card" onSubmit={submit} aria-labelledby="send-title">
      <h2 id="send-title">{t('sendRequest')}</h2>
      <div className="row">
        {!me && (
          <Field label={t('from')}>
            {(p) => (
              <select {...p} value={from} onChange={(e) => setFrom(e.target.value)}>
                {options(participants.filter((x) => x.status !== 'withdrawn'))}
              </select>
            )}
          </Field>
        )}
        <Field label={t('to')}>
          {(p) => (
            <select {...p} value={to} onChange={(e) => setTo(e.target.value)}>
              {options(others.filter((x) => x.id !== from))}
            </select>
          )}
        </Field>
        <Field label={t('priority')}>
          {(p) => (
            <select {...p} value={priority} onChange={(e) => setPriority(e.target.value as typeof priority)}>
              <option value="would_like">{t('priority_would_like')}</option>
              <option value="must_meet">{t('priority_must_meet')}</option>
            </select>
          )}
        </Field>
      </div>
      <Field label={t('message')}>{(p) => <input {...p} value={message} onChange={(e) => setMessage(e.target.value)} />}</Field>
      {send.isError && <ErrorView error={send.error} />}
      <button type="submit" className="primary" disabled={!to || send.isPending}>
        {t('send')}
      </button>
    </form>
  );
}

function RequestsTab({ event }: { event: EventView }) {
  const { t, lang } = useI18n();
  const { session } = useAuth();
  const participants = useParticipants(event.id);
  const requests = useRequests(event.id);
  const queryClient = useQueryClient();
  const me = participants.data?.find((p) => p.organisationId === session?.org);
  const decide = useMutation({
    mutationFn: ({ rid, decision }: { rid: string; decision: 'accept' | 'decline' }) =>
      ok(
        decision === 'accept'
          ? eventsApi.POST('/events/{id}/requests/{rid}/accept', { params: { path: { id: event.id, rid } } })
          : eventsApi.POST('/events/{id}/requests/{rid}/decline', { params: { path: { id: event.id, rid } } }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...eventKey(event.id), 'requests'] }),
  });
  const name = namesOf(participants.data);
  const table = (title: string, list: MeetingRequest[], canDecide: boolean) => (
    <section aria-label={title}>
      <h2>{title}</h2>
      {list.length === 0 ? (
        <p className="notice">{t('none')}</p>
      ) : (
        <TableWrap label={title}>
          <table className="requests">
            <TableHead columns={[t('from'), t('to'), t('priority'), t('status'), t('date'), { hidden: t('status') }]} />
            <tbody>
              {list.map((r) => (
                <tr key={r.id}>
                  <td>{name(r.from)}</td>
                  <td>{name(r.to)}</td>
                  <td>{t(`priority_${r.priority}`)}</td>
                  <td>{t(`req_${r.status}`)}</td>
                  <td>{formatInZone(r.createdAt, event.timeZone, lang)}</td>
                  <td>
                    {canDecide && r.status === 'pending' && (
                      <>
                        <button type="button" onClick={() => decide.mutate({ rid: r.id, decision: 'accept' })}>
                          {t('accept')}
                        </button>
                        <button type="button" onClick={() => decide.mutate({ rid: r.id, decision: 'decline' })}>
                          {t('decline')}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
  return (
    <QueryView query={participants}>
      {(list) => (
        <>
          <SendRequest eventId={event.id} participants={list} me={me} />
          {decide.isError && <ErrorView error={decide.error} />}
          <QueryView query={requests}>
            {(reqs) =>
              me ? (
                <>
                  {table(
                    t('received'),
                    reqs.filter((r) => r.to === me.id),
                    true,
                  )}
                  {table(
                    t('sent'),
                    reqs.filter((r) => r.from === me.id),
                    false,
                  )}
                </>
              ) : (
                table(t('requests'), reqs, false)
              )
            }
          </QueryView>
        </>
      )}
    </QueryView>
  );
}

export function EventDetailPage() {
  const { t } = useI18n();
  const { session } = useAuth();
  const staff = isStaff(session);
  const id = useParams().id ?? '';
  const event = useEvent(id);
  const base = `/events/${encodeURIComponent(id)}`;
  const tabs = staff
    ? [
        { to: '', label: t('tabOverview') },
        { to: 'participants', label: t('tabParticipants') },
        { to: 'requests', label: t('tabRequests') },
        { to: 'schedule', label: t('tabSchedule') },
        { to: 'check-in', label: t('tabCheckIn') },
        { to: 'analytics', label: t('tabAnalytics') },
      ]
    : [
        { to: '', label: t('tabOverview') },
        { to: 'requests', label: t('tabRequests') },
        { to: 'agenda', label: t('tabAgenda') },
      ];
  return (
    <Page title={event.data?.title ?? t('eventsTitle')}>
      <QueryView query={event}>
        {(ev) => (
          <>
            <nav aria-label={t('eventsTitle')} className="tabs">
              <ul>
                {tabs.map((tab) => (
                  <li key={tab.to}>
                    <NavLink end to={tab.to ? `${base}/${tab.to}` : base}>
                      {tab.label}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </nav>
            <Routes>
              <Route index element={<Overview event={ev} />} />
              <Route path="participants" element={<ParticipantsTab eventId={ev.id} />} />
              <Route path="requests" element={<RequestsTab event={ev} />} />
              <Route path="schedule" element={<ScheduleTab event={ev} />} />
              <Route path="check-in" element={<CheckInTab event={ev} />} />
              <Route path="analytics" element={<AnalyticsTab event={ev} />} />
              <Route path="agenda" element={<AgendaTab event={ev} />} />
            </Routes>
          </>
        )}
      </QueryView>
    </Page>
  );
}
