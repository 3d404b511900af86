import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, eventsApi, ok } from '../api/client';
import type { Agenda, Event as EventView } from '../api/generated/events';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { formatDay } from '../time';
import { ErrorView, QueryView } from '../ui';
import { useParticipants } from './event.queries';

/** The .ics needs the bearer token, so it is fetched and handed to the browser as a file. */
async function downloadIcs(eventId: string, pid: string, token: string) {
  const res = await fetch(`/api/events/events/${encodeURIComponent(eventId)}/participants/${encodeURIComponent(pid)}/agenda?format=ics`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!res.ok) throw new ApiError(res.status, `http_${res.status}`, res.statusText);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = 'agenda.ics';
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function AgendaTab({ event }: { event: EventView }) {
  const { t, lang } = useI18n();
  const { session } = useAuth();
  const participants = useParticipants(event.id);
  const me = participants.data?.find((p) => p.organisationId === session?.org);
  const [downloadError, setDownloadError] = useState<unknown>();
  const agenda = useQuery({
    queryKey: ['event', event.id, 'agenda', me?.id],
    // format=json: the document's other agenda formats (iCalendar, CSV) are text.
    queryFn: async () =>
      (await ok(
        eventsApi.GET('/events/{id}/participants/{pid}/agenda', { params: { path: { id: event.id, pid: me!.id }, query: { format: 'json' } } }),
      )) as Agenda,
    enabled: Boolean(me),
  });
  if (!me) return <QueryView query={participants}>{() => <p className="notice">{t('notRegistered')}</p>}</QueryView>;
  return (
    <QueryView query={agenda}>
      {(a) => (
        <>
          <button type="button" onClick={() => downloadIcs(event.id, me.id, session!.token).catch(setDownloadError)}>
            {t('downloadIcs')}
          </button>
          {downloadError !== undefined && <ErrorView error={downloadError} />}
          {a.items.length === 0 ? (
            <p className="notice">{t('notPublished')}</p>
          ) : (
            <ol className="agenda">
              {a.items.map((i) => (
                <li key={i.meetingId} className="card">
                  <strong>
                    {formatDay(i.date, lang)} {i.start}–{i.end}
                  </strong>{' '}
                  ({i.timeZone}) · {i.location} · {i.counterpart.name}
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </QueryView>
  );
}
