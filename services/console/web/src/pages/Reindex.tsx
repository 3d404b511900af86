import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { matchingApi, ok } from '../api/client';
import { useI18n } from '../i18n';
import { ErrorView, Page } from '../ui';

const JOB_KEY = 'lm.reindexJob';

/** Starts a reindex and polls its job until it is done; the job id survives a reload. */
export function ReindexPage() {
  const { t } = useI18n();
  const [jobId, setJobId] = useState<string | null>(() => sessionStorage.getItem(JOB_KEY));
  const start = useMutation({
    mutationFn: () => ok(matchingApi.POST('/admin/reindex')),
    onSuccess: (job) => {
      sessionStorage.setItem(JOB_KEY, job.jobId);
      setJobId(job.jobId);
    },
  });
  const job = useQuery({
    queryKey: ['reindex', jobId],
    queryFn: () => ok(matchingApi.GET('/admin/reindex/{jobId}', { params: { path: { jobId: jobId! } } })),
    enabled: Boolean(jobId),
    refetchInterval: (q) => (q.state.data?.state === 'running' || !q.state.data ? 500 : false),
  });
  const data = job.data;
  const percent = data ? Math.round(100 * (data.state === 'succeeded' ? 1 : data.progress)) : 0;
  return (
    <Page title={t('matchingTitle')}>
      <p>{t('reindexHelp')}</p>
      <button type="button" className="primary" disabled={start.isPending || data?.state === 'running'} onClick={() => start.mutate()}>
        {t('startReindex')}
      </button>
      {start.isError && <ErrorView error={start.error} />}
      {job.isError && <ErrorView error={job.error} onRetry={() => void job.refetch()} />}
      {data && (
        <div className="card reindex" aria-live="polite">
          <p>
            <strong>{t(`reindexState_${data.state}`)}</strong> · {data.newIndex}
          </p>
          <progress id="reindex-progress" max={100} value={percent} aria-label={t('matchingTitle')}>
            {percent}%
          </progress>
          <p>
            {percent}% — {t('processed', { processed: data.processedMessages, total: data.totalMessages })}
          </p>
          {data.error && <p className="error">{data.error}</p>}
        </div>
      )}
    </Page>
  );
}
