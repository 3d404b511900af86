import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { matchingApi, ok } from '../api/client';
import { PROVINCES, S3_AREAS } from '../api/generated/enums';
import type { MatchItem } from '../api/generated/matching';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { Bars, EnumSelect, ErrorView, Field, Page, QueryView } from '../ui';

type Kinds = 'research_centre,investor' | 'research_centre' | 'investor';
type S3Area = (typeof S3_AREAS)[number];
type Province = (typeof PROVINCES)[number];

/**
 * An accepted candidate carries the feedback boost in its explanation (matching adds a
 * `feedback` part for accepted candidates), so "accepted" survives a reload.
 */
const isAccepted = (item: MatchItem) => (item.explanation.parts.feedback ?? 0) > 0;

function SuggestionCard({ item, onDecided }: { item: MatchItem; onDecided: (decision: 'accepted' | 'declined') => void }) {
  const { t, label } = useI18n();
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const [acceptedNow, setAcceptedNow] = useState(false);
  const feedback = useMutation({
    mutationFn: (decision: 'accepted' | 'declined') =>
      ok(
        matchingApi.POST('/matches/{matchId}/feedback', {
          params: { path: { matchId: item.matchId } },
          body: { decision, ...(decision === 'declined' && reason.trim() ? { reason: reason.trim() } : {}) },
        }),
      ),
    onSuccess: (res) => {
      if (res.decision === 'accepted') setAcceptedNow(true);
      onDecided(res.decision);
    },
  });
  const accepted = acceptedNow || isAccepted(item);
  const parts = Object.entries(item.explanation.parts)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([key, value]) => ({ key, label: label(key), value }));
  const headingId = `match-${item.matchId}`;
  return (
    <article className={`card suggestion${accepted ? ' accepted' : ''}`} aria-labelledby={headingId} data-candidate={item.candidate.id}>
      <header className="suggestion-head">
        <h2 id={headingId}>
          <span className="rank">#{item.rank}</span> {item.candidate.name}
        </h2>
        {accepted && <span className="badge badge-ok">✓ {t('accepted')}</span>}
      </header>
      <p className="muted">
        {label(item.candidate.kind)}
        {item.candidate.province ? ` · ${item.candidate.province}` : ''} · {t('score')} {item.score.toFixed(2)}
      </p>
      <p>{item.explanation.summary}</p>
      <Bars caption={t('scoreParts')} items={parts} max={item.score} format={(v) => v.toFixed(2)} />
      {item.explanation.matchedTerms.length > 0 && (
        <p className="terms">
          <span>{t('matchedTerms')}:</span>{' '}
          {item.explanation.matchedTerms.map((term) => (
            <mark key={term}>{term}</mark>
          ))}
        </p>
      )}
      {feedback.isError && <ErrorView error={feedback.error} />}
      <div className="actions">
        {!accepted && (
          <button type="button" className="primary" disabled={feedback.isPending} onClick={() => feedback.mutate('accepted')}>
            {t('accept')}
          </button>
        )}
        {!declining ? (
          <button type="button" disabled={feedback.isPending} onClick={() => setDeclining(true)}>
            {t('decline')}
          </button>
        ) : (
          <div className="decline">
            <Field label={t('declineReason')}>{(p) => <input {...p} value={reason} onChange={(e) => setReason(e.target.value)} />}</Field>
            <button type="button" className="danger" disabled={feedback.isPending} onClick={() => feedback.mutate('declined')}>
              {t('confirmDecline')}
            </button>
            <button type="button" onClick={() => setDeclining(false)}>
              {t('cancel')}
            </button>
          </div>
        )}
      </div>
    </article>
  );
}

export function SuggestionsPage() {
  const { t, lang } = useI18n();
  const { session } = useAuth();
  const queryClient = useQueryClient();
  const org = session?.org ?? '';
  const [kinds, setKinds] = useState<Kinds>('research_centre,investor');
  const [s3Area, setS3Area] = useState<S3Area | ''>('');
  const [province, setProvince] = useState<Province | ''>('');
  const [hidden, setHidden] = useState<string[]>([]);
  const queryKey = ['matches', org, kinds, s3Area, province, lang];
  const matches = useQuery({
    queryKey,
    queryFn: () =>
      ok(
        matchingApi.GET('/organisations/{id}/matches', {
          params: { path: { id: org }, query: { kinds, lang, limit: 20, ...(s3Area ? { s3Area } : {}), ...(province ? { province } : {}) } },
        }),
      ),
    enabled: Boolean(org),
  });
  return (
    <Page title={t('suggestionsTitle')}>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('search')}>
        <Field label={t('filterKind')}>
          {(p) => (
            <select {...p} value={kinds} onChange={(e) => setKinds(e.target.value as Kinds)}>
              <option value="research_centre,investor">{t('allKinds')}</option>
              <option value="research_centre">{t('research_centre')}</option>
              <option value="investor">{t('investor')}</option>
            </select>
          )}
        </Field>
        <EnumSelect label={t('s3Areas')} values={S3_AREAS} value={s3Area} onChange={setS3Area} anyLabel={t('anyArea')} />
        <EnumSelect label={t('province')} values={PROVINCES} value={province} onChange={setProvince} anyLabel={t('anyProvince')} />
      </form>
      <QueryView query={matches}>
        {(data) => {
          const items = data.items.filter((i) => !hidden.includes(i.matchId));
          return items.length === 0 ? (
            <p className="notice">{t('noSuggestions')}</p>
          ) : (
            <div className="suggestions">
              {items.map((item) => (
                <SuggestionCard
                  key={item.matchId}
                  item={item}
                  onDecided={(decision) => {
                    if (decision === 'declined') setHidden((h) => [...h, item.matchId]);
                    void queryClient.invalidateQueries({ queryKey: ['matches', org] });
                  }}
                />
              ))}
            </div>
          );
        }}
      </QueryView>
    </Page>
  );
}
