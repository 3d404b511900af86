import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ApiError, ok, profilesApi } from '../api/client';
import { KINDS, PROVINCES, S3_AREAS } from '../api/generated/enums';
import type { ImportReport } from '../api/generated/profiles';
import { useI18n } from '../i18n';
import { EnumSelect, ErrorView, Field, Page, QueryView, TableHead, TableWrap } from '../ui';

type Kind = (typeof KINDS)[number];
type S3Area = (typeof S3_AREAS)[number];
type Province = (typeof PROVINCES)[number];
interface Filters {
  q: string;
  kind: Kind | '';
  s3Area: S3Area | '';
  province: Province | '';
}

/** Sends the file as it is: text/csv to the CSV importer, a JSON array to the JSON one. */
async function importFile(file: File): Promise<ImportReport> {
  const text = await file.text();
  const isJson = file.name.toLowerCase().endsWith('.json') || file.type === 'application/json';
  if (isJson) {
    let rows: unknown;
    try {
      rows = JSON.parse(text);
    } catch (e) {
      throw new ApiError(400, 'validation_failed', `${file.name} is not valid JSON`, [{ field: 'body', message: e instanceof Error ? e.message : String(e) }]);
    }
    return ok(profilesApi.POST('/organisations:import', { body: rows as never }));
  }
  return ok(
    profilesApi.POST('/organisations:import', { body: text as never, headers: { 'content-type': 'text/csv' }, bodySerializer: (b: unknown) => b as string }),
  );
}

function ImportPanel() {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const run = useMutation({ mutationFn: (f: File) => importFile(f) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (file) run.mutate(file);
  };
  const report = run.data;
  return (
    <section className="card" aria-labelledby="import-title">
      <h2 id="import-title">{t('importTitle')}</h2>
      <form onSubmit={submit} className="row">
        <Field label={t('importFile')}>
          {(p) => <input {...p} type="file" accept=".csv,.json,text/csv,application/json" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />}
        </Field>
        <button type="submit" className="primary" disabled={!file || run.isPending}>
          {run.isPending ? t('importing') : t('importRun')}
        </button>
      </form>
      {run.isPending && (
        <p role="status" className="loading">
          <span className="spinner" aria-hidden="true" /> {t('importing')}
        </p>
      )}
      {run.isError && <ErrorView error={run.error} />}
      {report && (
        <div aria-live="polite">
          <p className="import-summary">{t('importSummary', report.summary)}</p>
          <TableWrap label={t('importTitle')}>
            <table className="import-report">
              <caption className="sr-only">{t('importTitle')}</caption>
              <TableHead columns={[t('row'), t('status'), t('errors'), 'ID']} />
              <tbody>
                {report.rows.map((r) => (
                  <tr key={r.row} className={`status-${r.status}`}>
                    <td>{r.row}</td>
                    <td>
                      <span className={`badge badge-${r.status === 'failed' ? 'bad' : 'ok'}`}>{t(`status_${r.status}`)}</span>
                    </td>
                    <td>
                      {(r.errors ?? []).map((e, i) => (
                        <div key={i}>
                          <code>{e.field}</code>: {e.message}
                        </div>
                      ))}
                    </td>
                    <td className="id-cell">{r.id ? <Link to={`/organisations/${encodeURIComponent(r.id)}`}>{r.id}</Link> : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </div>
      )}
    </section>
  );
}

export function OrganisationsPage() {
  const { t, label } = useI18n();
  const [form, setForm] = useState<Filters>({ q: '', kind: '', s3Area: '', province: '' });
  const [applied, setApplied] = useState<Filters>(form);
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const list = useQuery({
    queryKey: ['organisations', applied, cursor],
    queryFn: () =>
      ok(
        profilesApi.GET('/organisations', {
          params: {
            query: {
              limit: 20,
              ...(applied.q.trim() ? { q: applied.q.trim() } : {}),
              ...(applied.kind ? { kind: applied.kind } : {}),
              ...(applied.s3Area ? { s3Area: applied.s3Area } : {}),
              ...(applied.province ? { province: applied.province } : {}),
              ...(cursor ? { cursor } : {}),
            },
          },
        }),
      ),
    placeholderData: (previous) => previous,
  });
  const search = (e: FormEvent) => {
    e.preventDefault();
    setCursors([]);
    setApplied(form);
  };
  return (
    <Page title={t('organisationsTitle')}>
      <form className="filters" onSubmit={search} role="search">
        <Field label={t('search')}>
          {(p) => (
            <input
              {...p}
              type="search"
              name="q"
              placeholder={t('searchPlaceholder')}
              value={form.q}
              onChange={(e) => setForm({ ...form, q: e.target.value })}
            />
          )}
        </Field>
        <EnumSelect label={t('kind')} values={KINDS} value={form.kind} onChange={(kind) => setForm({ ...form, kind })} anyLabel={t('anyKind')} />
        <EnumSelect label={t('s3Areas')} values={S3_AREAS} value={form.s3Area} onChange={(s3Area) => setForm({ ...form, s3Area })} anyLabel={t('allAreas')} />
        <EnumSelect
          label={t('province')}
          values={PROVINCES}
          value={form.province}
          onChange={(province) => setForm({ ...form, province })}
          anyLabel={t('allProvinces')}
        />
        <button type="submit" className="primary">
          {t('search')}
        </button>
      </form>
      <QueryView query={list}>
        {(page) =>
          page.items.length === 0 ? (
            <p className="notice">{t('none')}</p>
          ) : (
            <>
              <TableWrap label={t('organisationsTitle')}>
                <table className="organisations">
                  <TableHead columns={[t('name'), t('kind'), t('province'), t('s3Areas')]} />
                  <tbody>
                    {page.items.map((o) => (
                      <tr key={o.id}>
                        <td>
                          <Link to={`/organisations/${encodeURIComponent(o.id)}`}>{o.legalName}</Link>
                        </td>
                        <td>{label(o.kind)}</td>
                        <td>{o.location.province}</td>
                        <td>{o.s3Areas.map(label).join(', ')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
              <div className="actions">
                {cursors.length > 0 && (
                  <button type="button" onClick={() => setCursors([])}>
                    {t('previous')}
                  </button>
                )}
                {page.nextCursor && (
                  <button type="button" onClick={() => setCursors([...cursors, page.nextCursor!])}>
                    {t('next')}
                  </button>
                )}
              </div>
            </>
          )
        }
      </QueryView>
      <ImportPanel />
    </Page>
  );
}
