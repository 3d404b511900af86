import { useQuery } from '@tanstack/react-query';
import { eventsApi, ok } from '../api/client';
import type { EventAnalytics as Analytics, Event as EventView } from '../api/generated/events';
import { useI18n } from '../i18n';
import { Bars, QueryView } from '../ui';
import { namesOf, useParticipants, useSchedule } from './event.queries';

const percent = (v: number) => `${(100 * v).toFixed(0)}%`;

export function AnalyticsTab({ event }: { event: EventView }) {
  const { t } = useI18n();
  const analytics = useQuery({
    queryKey: ['event', event.id, 'analytics'],
    queryFn: (): Promise<Analytics> => ok(eventsApi.GET('/events/{id}/analytics', { params: { path: { id: event.id } } })),
  });
  const schedule = useSchedule(event.id);
  const participants = useParticipants(event.id);
  const name = namesOf(participants.data);
  const perParticipant = new Map<string, number>();
  for (const m of schedule.data?.published?.meetings ?? []) for (const pid of [m.a, m.b]) perParticipant.set(pid, (perParticipant.get(pid) ?? 0) + 1);
  return (
    <QueryView query={analytics}>
      {(a) => {
        const conversion = a.requests.total ? a.meetingsHeld / a.requests.total : 0;
        return (
          <div className="analytics">
            <section className="card">
              <Bars
                caption={t('analytics')}
                items={[
                  { key: 'requested', label: t('requested'), value: a.requests.total },
                  { key: 'accepted', label: t('acceptedReq'), value: a.requests.accepted },
                  { key: 'scheduled', label: t('meetings'), value: a.meetingsScheduled },
                  { key: 'realised', label: t('realised'), value: a.meetingsHeld },
                ]}
              />
              <dl className="kpis">
                <div>
                  <dt>{t('conversion')}</dt>
                  <dd data-testid="conversion">{percent(conversion)}</dd>
                </div>
                <div>
                  <dt>{t('noShowRate')}</dt>
                  <dd>{percent(a.noShowRate)}</dd>
                </div>
                <div>
                  <dt>{t('participants')}</dt>
                  <dd>{a.participants}</dd>
                </div>
              </dl>
            </section>
            <section className="card">
              <Bars
                caption={t('meetingsPerParticipant')}
                items={[...perParticipant.entries()].sort((x, y) => y[1] - x[1]).map(([pid, n]) => ({ key: pid, label: name(pid), value: n }))}
              />
            </section>
          </div>
        );
      }}
    </QueryView>
  );
}
