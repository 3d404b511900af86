import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { ApiError, profilesApi, withResponse } from '../api/client';
import { NEED_OFFER_TYPES, PROVINCES, S3_AREAS, SPECIALTIES, STAGES } from '../api/generated/enums';
import type { NeedOffer, Organisation, OrganisationPatch } from '../api/generated/profiles';
import { useI18n } from '../i18n';
import { CheckboxGroup, ErrorView, Field, Loading, Page } from '../ui';

/** The editable part of a profile as the form holds it (numbers as text until saved). */
interface NeedOfferDraft {
  type: NeedOffer['type'];
  title: string;
  text: string;
  keywords: string;
  s3Areas: string[];
  trlMin: string;
  trlMax: string;
  rest: Partial<NeedOffer>;
}
interface Draft {
  legalName: string;
  description: string;
  website: string;
  province: string;
  city: string;
  s3Areas: string[];
  specialties: string[];
  stage: string;
  needs: NeedOfferDraft[];
  offers: NeedOfferDraft[];
  investorStages: string[];
  ticketMin: string;
  ticketMax: string;
}

const num = (s: string) => (s.trim() === '' ? undefined : Number(s));

function toItemDraft(n: NeedOffer): NeedOfferDraft {
  const { type, title, text, keywords, s3Areas, trl, ...rest } = n;
  return {
    type,
    title,
    text: text ?? '',
    keywords: (keywords ?? []).join(', '),
    s3Areas: s3Areas ?? [],
    trlMin: trl ? String(trl.min) : '',
    trlMax: trl ? String(trl.max) : '',
    rest,
  };
}
function fromItemDraft(d: NeedOfferDraft): NeedOffer {
  const min = num(d.trlMin);
  const max = num(d.trlMax);
  const trl = min !== undefined || max !== undefined ? { min: min ?? max!, max: max ?? min! } : undefined;
  return {
    ...d.rest,
    type: d.type,
    title: d.title,
    text: d.text,
    keywords: d.keywords
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean),
    s3Areas: d.s3Areas as NeedOffer['s3Areas'],
    ...(trl ? { trl } : {}),
  } as NeedOffer;
}

function toDraft(o: Organisation): Draft {
  return {
    legalName: o.legalName,
    description: o.description?.[0]?.text ?? '',
    website: o.website ?? '',
    province: o.location.province,
    city: o.location.city,
    s3Areas: [...o.s3Areas],
    specialties: [...(o.specialties ?? [])],
    stage: o.stage ?? '',
    needs: (o.needs ?? []).map(toItemDraft),
    offers: (o.offers ?? []).map(toItemDraft),
    investorStages: [...(o.investor?.stages ?? [])],
    ticketMin: o.investor ? String(o.investor.ticketEur.min) : '',
    ticketMax: o.investor ? String(o.investor.ticketEur.max) : '',
  };
}

function toPatch(o: Organisation, d: Draft): OrganisationPatch {
  const lang = o.description?.[0]?.lang ?? o.languages?.[0] ?? 'it';
  return {
    legalName: d.legalName,
    description: d.description.trim() ? [{ lang, text: d.description }, ...(o.description ?? []).slice(1)] : [],
    ...(d.website.trim() ? { website: d.website.trim() } : {}),
    location: { ...o.location, province: d.province as Organisation['location']['province'], city: d.city },
    s3Areas: d.s3Areas as Organisation['s3Areas'],
    specialties: d.specialties as Organisation['specialties'],
    ...(o.kind === 'company' && d.stage ? { stage: d.stage as Organisation['stage'] } : {}),
    needs: d.needs.map(fromItemDraft),
    offers: d.offers.map(fromItemDraft),
    ...(o.kind === 'investor'
      ? {
          investor: {
            ...o.investor!,
            stages: d.investorStages as NonNullable<Organisation['investor']>['stages'],
            ticketEur: { min: num(d.ticketMin) ?? 0, max: num(d.ticketMax) ?? 0 },
          },
        }
      : {}),
  } as OrganisationPatch;
}

function NeedOfferEditor({
  which,
  items,
  onChange,
  errors,
}: {
  which: 'needs' | 'offers';
  items: NeedOfferDraft[];
  onChange: (next: NeedOfferDraft[]) => void;
  errors: Record<string, string>;
}) {
  const { t, label } = useI18n();
  const set = (i: number, patch: Partial<NeedOfferDraft>) => onChange(items.map((it, j) => (j === i ? { ...it, ...patch } : it)));
  const err = (i: number, f: string) => errors[`${which}.${i}.${f}`];
  return (
    <fieldset className="need-offers">
      <legend>{t(which)}</legend>
      {items.map((it, i) => (
        <div className="card need-offer" key={i} data-testid={`${which}-${i}`}>
          <Field label={t('needOfferType')} error={err(i, 'type')}>
            {(p) => (
              <select {...p} value={it.type} onChange={(e) => set(i, { type: e.target.value as NeedOffer['type'] })}>
                {NEED_OFFER_TYPES.map((v) => (
                  <option key={v} value={v}>
                    {label(v)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('title')} error={err(i, 'title')}>
            {(p) => <input {...p} name={`${which}.${i}.title`} value={it.title} onChange={(e) => set(i, { title: e.target.value })} />}
          </Field>
          <Field label={t('text')} error={err(i, 'text')}>
            {(p) => <textarea {...p} rows={2} value={it.text} onChange={(e) => set(i, { text: e.target.value })} />}
          </Field>
          <Field label={t('keywords')} error={err(i, 'keywords')}>
            {(p) => <input {...p} value={it.keywords} onChange={(e) => set(i, { keywords: e.target.value })} />}
          </Field>
          <div className="row">
            <Field label={t('trlMin')} error={err(i, 'trl.min') ?? err(i, 'trl')}>
              {(p) => (
                <input
                  {...p}
                  name={`${which}.${i}.trl.min`}
                  type="number"
                  inputMode="numeric"
                  value={it.trlMin}
                  onChange={(e) => set(i, { trlMin: e.target.value })}
                />
              )}
            </Field>
            <Field label={t('trlMax')} error={err(i, 'trl.max')}>
              {(p) => (
                <input
                  {...p}
                  name={`${which}.${i}.trl.max`}
                  type="number"
                  inputMode="numeric"
                  value={it.trlMax}
                  onChange={(e) => set(i, { trlMax: e.target.value })}
                />
              )}
            </Field>
          </div>
          <CheckboxGroup legend={t('s3Areas')} values={S3_AREAS} selected={it.s3Areas} onChange={(v) => set(i, { s3Areas: v })} error={err(i, 's3Areas')} />
          <button type="button" onClick={() => onChange(items.filter((_, j) => j !== i))}>
            {t('remove')}: {it.title || label(it.type)}
          </button>
        </div>
      ))}
      <button
        type="button"
        onClick={() => onChange([...items, { type: NEED_OFFER_TYPES[0], title: '', text: '', keywords: '', s3Areas: [], trlMin: '', trlMax: '', rest: {} }])}
      >
        {t(which === 'needs' ? 'addNeed' : 'addOffer')}
      </button>
    </fieldset>
  );
}

function ProfileForm({ organisation, etag, onReload }: { organisation: Organisation; etag: string; onReload: () => void }) {
  const { t, label } = useI18n();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => toDraft(organisation));
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const save = useMutation({
    mutationFn: () =>
      withResponse(
        profilesApi.PATCH('/organisations/{id}', {
          params: { path: { id: organisation.id }, header: { 'if-match': etag } },
          body: toPatch(organisation, draft),
        }),
      ),
    onSuccess: ({ data, etag: next }) => {
      queryClient.setQueryData(['organisation', organisation.id], { data, etag: next });
    },
  });
  const error = save.error instanceof ApiError ? save.error : undefined;
  const errors = error?.status === 400 ? error.fieldErrors() : {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    // noValidate: the service's rules (zod) are the one source of field errors.
    <form onSubmit={submit} noValidate className="profile-form">
      <p className="muted">
        {label(organisation.kind)} · {label(organisation.subtype)} · {t('version')} {organisation.version}
      </p>
      <div aria-live="polite">
        {save.isSuccess && <p className="success">{t('saved', { version: save.data.data.version })}</p>}
        {error?.status === 412 && (
          <div className="error" role="alert">
            <p>{t('conflict412')}</p>
            <button type="button" onClick={onReload}>
              {t('reloadProfile')}
            </button>
          </div>
        )}
        {error?.status === 400 && (
          <div className="error" role="alert">
            <p>{t('fixFields', { count: error.details.length })}</p>
            <ul>
              {error.details.map((d, i) => (
                <li key={i}>
                  <code>{d.field.replace(/^body\./, '')}</code>: {d.message}
                </li>
              ))}
            </ul>
          </div>
        )}
        {save.error && !error && <ErrorView error={save.error} />}
        {error && error.status !== 400 && error.status !== 412 && <ErrorView error={error} />}
      </div>
      <Field label={t('legalName')} error={errors.legalName}>
        {(p) => <input {...p} name="legalName" value={draft.legalName} onChange={(e) => set({ legalName: e.target.value })} />}
      </Field>
      <Field label={t('description')} error={errors['description.0.text'] ?? errors.description}>
        {(p) => <textarea {...p} rows={4} value={draft.description} onChange={(e) => set({ description: e.target.value })} />}
      </Field>
      <Field label={t('website')} error={errors.website}>
        {(p) => <input {...p} type="url" value={draft.website} onChange={(e) => set({ website: e.target.value })} />}
      </Field>
      <div className="row">
        <Field label={t('province')} error={errors['location.province']}>
          {(p) => (
            <select {...p} value={draft.province} onChange={(e) => set({ province: e.target.value })}>
              {PROVINCES.map((v) => (
                <option key={v}>{v}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('city')} error={errors['location.city']}>
          {(p) => <input {...p} value={draft.city} onChange={(e) => set({ city: e.target.value })} />}
        </Field>
      </div>
      {organisation.kind === 'company' && (
        <Field label={t('stage')} error={errors.stage}>
          {(p) => (
            <select {...p} value={draft.stage} onChange={(e) => set({ stage: e.target.value })}>
              <option value="">—</option>
              {STAGES.map((v) => (
                <option key={v} value={v}>
                  {label(v)}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <CheckboxGroup legend={t('s3Areas')} values={S3_AREAS} selected={draft.s3Areas} onChange={(v) => set({ s3Areas: v })} error={errors.s3Areas} />
      <details>
        <summary>
          {t('specialties')} ({draft.specialties.length})
        </summary>
        <CheckboxGroup
          legend={t('specialties')}
          values={SPECIALTIES}
          selected={draft.specialties}
          onChange={(v) => set({ specialties: v })}
          error={errors.specialties}
        />
      </details>
      {organisation.kind === 'investor' && (
        <fieldset>
          <legend>{t('investorFields')}</legend>
          <CheckboxGroup
            legend={t('stages')}
            values={STAGES}
            selected={draft.investorStages}
            onChange={(v) => set({ investorStages: v })}
            error={errors['investor.stages']}
          />
          <div className="row">
            <Field label={t('ticketMin')} error={errors['investor.ticketEur.min']}>
              {(p) => <input {...p} type="number" value={draft.ticketMin} onChange={(e) => set({ ticketMin: e.target.value })} />}
            </Field>
            <Field label={t('ticketMax')} error={errors['investor.ticketEur.max']}>
              {(p) => <input {...p} type="number" value={draft.ticketMax} onChange={(e) => set({ ticketMax: e.target.value })} />}
            </Field>
          </div>
        </fieldset>
      )}
      <NeedOfferEditor which="needs" items={draft.needs} onChange={(v) => set({ needs: v })} errors={errors} />
      <NeedOfferEditor which="offers" items={draft.offers} onChange={(v) => set({ offers: v })} errors={errors} />
      <div className="actions sticky">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? t('saving') : t('save')}
        </button>
      </div>
    </form>
  );
}

/** A company's own profile (`/profile`), or any profile for hub staff (`/organisations/:id`). */
export function ProfilePage({ organisationId }: { organisationId?: string | undefined }) {
  const { t } = useI18n();
  const params = useParams();
  const id = organisationId ?? params.id ?? '';
  const query = useQuery({
    queryKey: ['organisation', id],
    queryFn: () => withResponse(profilesApi.GET('/organisations/{id}', { params: { path: { id } } })),
    enabled: Boolean(id),
  });
  const [formKey, setFormKey] = useState(0);
  const reload = async () => {
    await query.refetch();
    setFormKey((k) => k + 1);
  };
  const notFound = query.error instanceof ApiError && query.error.status === 404;
  return (
    <Page title={query.data ? query.data.data.legalName : t('profileTitle')}>
      {query.isPending ? (
        <Loading />
      ) : notFound ? (
        <p className="notice">{t('noProfile')}</p>
      ) : query.isError ? (
        <ErrorView error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <ProfileForm
          key={`${formKey}-${query.data.data.id}`}
          organisation={query.data.data as Organisation}
          etag={query.data.etag ?? `"${query.data.data.version}"`}
          onReload={reload}
        />
      )}
    </Page>
  );
}
