import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, eventsApi, ok } from '../api/client';
import type { Event as EventView, Meeting, RunReport, Schedule as ScheduleDoc } from '../api/generated/events';
import { useI18n } from '../i18n';
import { formatInZone, slotCount, slotTimes } from '../time';
import { ErrorView, QueryView, TableHead, TableWrap } from '../ui';
import { eventKey, namesOf, useParticipants, useSchedule } from './event.queries';
import { conflictsOfMove, sessionIdOf, type Placement } from './schedule.conflicts';

function ReportView({ report, name }: { report: RunReport; name: (id: string) => string }) {
  const { t } = useI18n();
  return (
    <section className="card report" aria-labelledby="report-title">
      <h2 id="report-title">{t('runReport')}</h2>
      <dl className="kpis">
        <div>
          <dt>{t('objective')}</dt>
          <dd data-testid="objective">{report.objective.toFixed(1)}</dd>
        </div>
        <div>
          <dt>{t('ofBound')}</dt>
          <dd data-testid="percent-of-bound">{report.percentOfBound.toFixed(1)}%</dd>
        </div>
        <div>
          <dt>{t('upperBound')}</dt>
          <dd>{report.upperBound.toFixed(1)}</dd>
        </div>
        <div>
          <dt>{t('meetings')}</dt>
          <dd>{report.meetings}</dd>
        </div>
      </dl>
      <h3>
        {t('unscheduled')} ({report.unscheduled.length})
      </h3>
      {report.unscheduled.length === 0 ? (
        <p>{t('none')}</p>
      ) : (
        <TableWrap label={t('unscheduled')}>
          <table className="unscheduled">
            <TableHead columns={[t('from'), t('to'), t('priority'), t('reason')]} />
            <tbody>
              {report.unscheduled.map((u) => (
                <tr key={u.requestId}>
                  <td>{name(u.from)}</td>
                  <td>{name(u.to)}</td>
                  <td>{t(`priority_${u.priority}` as never)}</td>
                  <td>{t(`reason_${u.reason}` as never)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}

function Grid({
  event,
  meetings,
  name,
  selected,
  target,
  onSelect,
  onTarget,
}: {
  event: EventView;
  meetings: Meeting[];
  name: (id: string) => string;
  selected?: Meeting | undefined;
  target?: Placement | undefined;
  onSelect: (m: Meeting) => void;
  onTarget: (p: Placement) => void;
}) {
  const { t } = useI18n();
  return (
    <>
      {event.sessions.map((session, si) => {
        const sessionId = sessionIdOf(event, si);
        const tables = Array.from({ length: session.tables }, (_, i) => i + 1);
        const slots = Array.from({ length: slotCount(session) }, (_, i) => i);
        return (
          <TableWrap label={`${t('grid')} ${session.date}`} className="grid-wrap" key={sessionId}>
            <table className="grid" data-session={sessionId}>
              <caption>
                {t('grid')} — {session.name ?? session.date} ({event.timeZone})
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('slot')}</th>
                  {tables.map((n) => (
                    <th scope="col" key={n}>
                      {t('table')} {n}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {slots.map((slot) => {
                  const times = slotTimes(session, slot);
                  const isBreak = (session.breakSlots ?? []).includes(slot);
                  return (
                    <tr key={slot} className={isBreak ? 'break' : undefined}>
                      <th scope="row">
                        {times.start}–{times.end}
                      </th>
                      {tables.map((table) => {
                        const m = meetings.find((x) => x.sessionId === sessionId && x.slot === slot && x.table === table);
                        const isTarget = target?.sessionId === sessionId && target.slot === slot && target.table === table;
                        return (
                          <td key={table} className={isTarget ? 'target' : undefined} data-slot={slot} data-table={table}>
                            {m ? (
                              <button
                                type="button"
                                className={`meeting${selected?.id === m.id ? ' selected' : ''}`}
                                aria-pressed={selected?.id === m.id}
                                onClick={() => onSelect(m)}
                                data-meeting={m.id}
                              >
                                {name(m.a)} × {name(m.b)}
                              </button>
                            ) : selected && !isBreak ? (
                              <button
                                type="button"
                                className="cell-target"
                                onClick={() => onTarget({ sessionId, slot, table })}
                                aria-label={`${t('moveTo')} ${times.start} ${t('table')} ${table}`}
                              >
                                +
                              </button>
                            ) : null}
                          </td>
                        );
                      })}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableWrap>
        );
      })}
    </>
  );
}

function Editor({ event, doc }: { event: EventView; doc: ScheduleDoc }) {
  const { t, lang } = useI18n();
  const queryClient = useQueryClient();
  const participants = useParticipants(event.id);
  const name = namesOf(participants.data);
  const [selectedId, setSelectedId] = useState<string>();
  const [target, setTarget] = useState<Placement>();
  const meetings = doc.draft?.meetings ?? [];
  const selected = meetings.find((m) => m.id === selectedId);
  const refresh = () => queryClient.invalidateQueries({ queryKey: [...eventKey(event.id), 'schedule'] });
  const edit = useMutation({
    mutationFn: (edits: ({ op: 'move'; meetingId: string } & Placement) | { op: 'remove'; meetingId: string }) =>
      ok(
        eventsApi.PATCH('/events/{id}/schedule', { params: { path: { id: event.id }, header: { 'if-match': `"${doc.version}"` } }, body: { edits: [edits] } }),
      ),
    onSuccess: async () => {
      setSelectedId(undefined);
      setTarget(undefined);
      await refresh();
    },
  });
  const publish = useMutation({
    mutationFn: () => ok(eventsApi.POST('/events/{id}/schedule:publish', { params: { path: { id: event.id }, header: { 'if-match': `"${doc.version}"` } } })),
    onSuccess: refresh,
  });
  const conflicts = selected && target ? conflictsOfMove(event, meetings, selected, target, name, t) : [];
  return (
    <>
      <section className="card" aria-labelledby="grid-title">
        <h2 id="grid-title">
          {t('draft')} ·{' '}
          {doc.published
            ? t('publishedN', { n: doc.published.number }) + ` — ${formatInZone(doc.published.publishedAt, event.timeZone, lang)}`
            : t('notPublished')}
        </h2>
        <p className="muted">{t('selectMeeting')}</p>
        <Grid
          event={event}
          meetings={meetings}
          name={name}
          selected={selected}
          target={target}
          onSelect={(m) => {
            setSelectedId(m.id === selectedId ? undefined : m.id);
            setTarget(undefined);
            edit.reset();
          }}
          onTarget={setTarget}
        />
      </section>
      {selected && (
        <section className="card move-panel" aria-labelledby="move-title" aria-live="polite">
          <h2 id="move-title">
            {t('selected')}: {name(selected.a)} × {name(selected.b)}
          </h2>
          {target && (
            <>
              <p>
                {t('moveTo')}: {slotTimes(event.sessions[event.sessions.findIndex((_, i) => sessionIdOf(event, i) === target.sessionId)]!, target.slot).start},{' '}
                {t('table')} {target.table}
              </p>
              <h3>{t('conflicts')}</h3>
              {conflicts.length ? (
                <div role="alert">
                  <ul className="conflicts">
                    {conflicts.map((c) => (
                      <li key={c}>{c}</li>
                    ))}
                  </ul>
                </div>
              ) : (
                <p className="success">{t('noConflicts')}</p>
              )}
            </>
          )}
          {edit.isError && <ErrorView error={edit.error} />}
          <div className="actions">
            <button
              type="button"
              className="primary"
              disabled={!target || conflicts.length > 0 || edit.isPending}
              onClick={() => target && edit.mutate({ op: 'move', meetingId: selected.id, ...target })}
            >
              {t('saveMove')}
            </button>
            <button type="button" className="danger" disabled={edit.isPending} onClick={() => edit.mutate({ op: 'remove', meetingId: selected.id })}>
              {t('removeMeeting')}
            </button>
          </div>
        </section>
      )}
      <div className="actions">
        {publish.isError && <ErrorView error={publish.error} />}
        <button type="button" className="primary" disabled={publish.isPending || meetings.length === 0} onClick={() => publish.mutate()}>
          {t('publish')}
        </button>
      </div>
    </>
  );
}

export function ScheduleTab({ event }: { event: EventView }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const schedule = useSchedule(event.id);
  const participants = useParticipants(event.id);
  const run = useMutation({
    mutationFn: () => ok(eventsApi.POST('/events/{id}/schedule:generate', { params: { path: { id: event.id }, query: {} as never } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...eventKey(event.id), 'schedule'] }),
  });
  const noDraft = schedule.error instanceof ApiError && schedule.error.status === 404;
  return (
    <>
      <div className="actions">
        <button type="button" className="primary" disabled={run.isPending} onClick={() => run.mutate()}>
          {run.isPending ? t('running') : t('runSchedule')}
        </button>
      </div>
      {run.isPending && (
        <p role="status" className="loading">
          <span className="spinner" aria-hidden="true" /> {t('running')}
        </p>
      )}
      {run.isError && <ErrorView error={run.error} />}
      {noDraft ? (
        <p className="notice">{t('noDraft')}</p>
      ) : (
        <QueryView query={schedule}>
          {(doc) =>
            doc.draft ? (
              <>
                {doc.draft.report && <ReportView report={doc.draft.report} name={namesOf(participants.data)} />}
                <Editor event={event} doc={doc} />
              </>
            ) : (
              <p className="notice">{t('noDraft')}</p>
            )
          }
        </QueryView>
      )}
    </>
  );
}
