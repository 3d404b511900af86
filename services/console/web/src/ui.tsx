import type { UseQueryResult } from '@tanstack/react-query';
import { useId, type ReactNode } from 'react';
import { ApiError } from './api/client';
import { useI18n } from './i18n';

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {t('loading')}
    </p>
  );
}

/** An error as a person can act on it: the service's message, the field details, a retry. */
export function ErrorView({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  const api = error instanceof ApiError ? error : undefined;
  const message = api?.status === 0 ? t('errorNetwork') : api ? api.message : error instanceof Error ? error.message : String(error);
  return (
    <div className="error" role="alert">
      <p>
        <strong>{t('errorTitle')}</strong>
        {api && api.status > 0 ? ` (${api.status} ${api.code})` : ''}: {message}
      </p>
      {api && api.details.length > 0 && (
        <ul>
          {api.details.map((d, i) => (
            <li key={i}>
              <code>{d.field}</code>: {d.message}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}

/** Renders a query's loading and error states, and its data once there. */
export function QueryView<T>({ query, children }: { query: UseQueryResult<T>; children: (data: T) => ReactNode }) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorView error={query.error} onRetry={() => void query.refetch()} />;
  return <>{children(query.data)}</>;
}

export function Field({
  label,
  error,
  children,
  hint,
}: {
  label: string;
  error?: string | undefined;
  hint?: string;
  children: (props: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint && <small>{hint}</small>}
      {children({ id, ...(error ? { 'aria-invalid': true, 'aria-describedby': errorId } : {}) })}
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A group of checkboxes for a list of enum values (S3 areas, specialties, stages). */
export function CheckboxGroup({
  legend,
  values,
  selected,
  onChange,
  error,
}: {
  legend: string;
  values: readonly string[];
  selected: string[];
  onChange: (next: string[]) => void;
  error?: string | undefined;
}) {
  const { label } = useI18n();
  return (
    <fieldset className={`checks${error ? ' field-invalid' : ''}`}>
      <legend>{legend}</legend>
      {values.map((v) => (
        <label key={v} className="check">
          <input
            type="checkbox"
            checked={selected.includes(v)}
            onChange={(e) => onChange(e.target.checked ? [...selected, v] : selected.filter((x) => x !== v))}
          />
          {label(v)}
        </label>
      ))}
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}

/** Horizontal bars (explanations, analytics): value labels are text, the bar is decoration. */
export function Bars({
  items,
  max,
  format = (v) => String(v),
  caption,
}: {
  items: { key: string; label: string; value: number }[];
  max?: number;
  format?: (v: number) => string;
  caption: string;
}) {
  const top = max ?? Math.max(1e-9, ...items.map((i) => i.value));
  return (
    <figure className="bars">
      <figcaption>{caption}</figcaption>
      <dl>
        {items.map((i) => (
          <div className="bar-row" key={i.key} data-part={i.key}>
            <dt>{i.label}</dt>
            <dd>
              <span className="bar" aria-hidden="true">
                <span className="bar-fill" style={{ width: `${Math.max(0, Math.min(100, (100 * i.value) / top))}%` }} />
              </span>
              <span className="bar-value">{format(i.value)}</span>
            </dd>
          </div>
        ))}
      </dl>
    </figure>
  );
}

export function Page({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="page" aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title">{title}</h1>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** A table that may be wider than a phone: it scrolls inside a focusable, named region. */
export function TableWrap({ label, children, className }: { label: string; children: ReactNode; className?: string }) {
  return (
    <div className={`table-wrap${className ? ` ${className}` : ''}`} role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

/** A table's column headers; a column given as `{ hidden }` has a heading for screen readers only. */
export function TableHead({ columns }: { columns: (ReactNode | { hidden: string })[] }) {
  return (
    <thead>
      <tr>
        {columns.map((c, i) => (
          <th scope="col" key={i}>
            {c !== null && typeof c === 'object' && 'hidden' in c ? <span className="sr-only">{c.hidden}</span> : c}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** A select over a service enum (kinds, S3 areas, provinces) with an "any" first option. */
export function EnumSelect<V extends string>({
  label,
  values,
  value,
  onChange,
  anyLabel,
}: {
  label: string;
  values: readonly V[];
  value: V | '';
  onChange: (v: V | '') => void;
  anyLabel: string;
}) {
  const { label: words } = useI18n();
  return (
    <Field label={label}>
      {(p) => (
        <select {...p} value={value} onChange={(e) => onChange(e.target.value as V | '')}>
          <option value="">{anyLabel}</option>
          {values.map((v) => (
            <option key={v} value={v}>
              {words(v)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
