import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { eventsApi, ok } from '../api/client';
import type { Event as EventView, Meeting } from '../api/generated/events';
import { useI18n } from '../i18n';
import { slotTimes } from '../time';
import { ErrorView, Field, QueryView, TableHead, TableWrap } from '../ui';
import { namesOf, useParticipants, useSchedule } from './event.queries';
import { sessionIdOf } from './schedule.conflicts';

type Mark = 'checked_in' | 'no_show';

function Attendee({
  event,
  meeting,
  pid,
  name,
  mark,
  onMarked,
}: {
  event: EventView;
  meeting: Meeting;
  pid: string;
  name: string;
  mark?: Mark | undefined;
  onMarked: (m: Mark) => void;
}) {
  const { t } = useI18n();
  const record = useMutation({
    mutationFn: (m: Mark) =>
      ok(
        m === 'checked_in'
          ? eventsApi.POST('/events/{id}/meetings/{mid}/check-in', { params: { path: { id: event.id, mid: meeting.id } }, body: { participantId: pid } })
          : eventsApi.POST('/events/{id}/meetings/{mid}/no-show', { params: { path: { id: event.id, mid: meeting.id } }, body: { participantId: pid } }),
      ).then(() => m),
    onSuccess: onMarked,
  });
  return (
    <div className="attendee">
      <span>{name}</span>
      {mark ? (
        <span className={`badge ${mark === 'checked_in' ? 'badge-ok' : 'badge-bad'}`}>{mark === 'checked_in' ? t('checkedIn') : t('noShow')}</span>
      ) : (
        <>
          <button type="button" disabled={record.isPending} onClick={() => record.mutate('checked_in')} aria-label={`${t('checkIn')}: ${name}`}>
            {t('checkIn')}
          </button>
          <button type="button" disabled={record.isPending} onClick={() => record.mutate('no_show')} aria-label={`${t('noShow')}: ${name}`}>
            {t('noShow')}
          </button>
        </>
      )}
      {record.isError && <ErrorView error={record.error} />}
    </div>
  );
}

/** The published meetings, searchable by participant, with check-in and no-show per person. */
export function CheckInTab({ event }: { event: EventView }) {
  const { t } = useI18n();
  const schedule = useSchedule(event.id);
  const participants = useParticipants(event.id);
  const name = namesOf(participants.data);
  const [q, setQ] = useState('');
  const [marks, setMarks] = useState<Record<string, Mark>>({});
  return (
    <>
      <Field label={t('searchParticipant')}>{(p) => <input {...p} type="search" value={q} onChange={(e) => setQ(e.target.value)} />}</Field>
      <QueryView query={schedule}>
        {(doc) => {
          const meetings = (doc.published?.meetings ?? []).filter(
            (m) => !q.trim() || [m.a, m.b].some((pid) => name(pid).toLowerCase().includes(q.trim().toLowerCase())),
          );
          if (!doc.published) return <p className="notice">{t('notPublished')}</p>;
          return (
            <TableWrap label={t('tabCheckIn')}>
              <table className="checkin">
                <TableHead columns={[t('slot'), t('table'), t('participants')]} />
                <tbody>
                  {meetings.map((m) => {
                    const session = event.sessions.find((_, i) => sessionIdOf(event, i) === m.sessionId);
                    const times = session ? slotTimes(session, m.slot) : undefined;
                    return (
                      <tr key={m.id}>
                        <td>
                          {session?.date} {times?.start}–{times?.end}
                        </td>
                        <td>{m.table}</td>
                        <td>
                          {[m.a, m.b].map((pid) => (
                            <Attendee
                              key={pid}
                              event={event}
                              meeting={m}
                              pid={pid}
                              name={name(pid)}
                              mark={marks[`${m.id}:${pid}`]}
                              onMarked={(mark) => setMarks((x) => ({ ...x, [`${m.id}:${pid}`]: mark }))}
                            />
                          ))}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </TableWrap>
          );
        }}
      </QueryView>
    </>
  );
}
