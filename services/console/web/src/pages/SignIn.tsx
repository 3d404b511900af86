import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { ApiError } from '../api/client';
import { useAuth, type Role } from '../auth';
import { useI18n } from '../i18n';
import { ErrorView, Field, Loading, Page } from '../ui';

async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (e) {
    throw new ApiError(0, 'network', e instanceof Error ? e.message : String(e));
  }
  const body = (await res.json().catch(() => ({}))) as T & { error?: { code: string; message: string; details?: [] } };
  if (!res.ok) throw new ApiError(res.status, body.error?.code ?? `http_${res.status}`, body.error?.message ?? res.statusText, body.error?.details ?? []);
  return body;
}

function DevSignIn({ onToken }: { onToken: (token: string) => void }) {
  const { t, label } = useI18n();
  const [role, setRole] = useState<Role>('company');
  const [q, setQ] = useState('');
  const [org, setOrg] = useState('');
  const [error, setError] = useState<unknown>();
  const orgs = useQuery({
    queryKey: ['dev-organisations', q],
    queryFn: () => getJson<{ items: { id: string; name: string; kind: string }[] }>(`/auth/dev-organisations?${new URLSearchParams(q ? { q } : {})}`),
    enabled: role === 'company',
  });
  const items = orgs.data?.items ?? [];
  useEffect(() => {
    if (role === 'company' && items.length && !items.some((o) => o.id === org)) setOrg(items[0]!.id);
  }, [items, org, role]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      const body = await getJson<{ token: string }>('/auth/dev-login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role, ...(role === 'company' ? { organisationId: org } : {}) }),
      });
      onToken(body.token);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form onSubmit={submit} className="card" aria-labelledby="dev-signin">
      <h2 id="dev-signin">{t('devSignIn')}</h2>
      <p>{t('devSignInHelp')}</p>
      <Field label={t('role')}>
        {(p) => (
          <select {...p} value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {(['company', 'hub_staff', 'admin'] as Role[]).map((r) => (
              <option key={r} value={r}>
                {t(`roles_${r}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {role === 'company' && (
        <>
          <Field label={t('organisationSearch')}>{(p) => <input {...p} type="search" value={q} onChange={(e) => setQ(e.target.value)} />}</Field>
          {orgs.isError ? (
            <ErrorView error={orgs.error} onRetry={() => void orgs.refetch()} />
          ) : orgs.isPending ? (
            <Loading />
          ) : (
            <Field label={t('organisation')}>
              {(p) => (
                <select {...p} value={org} onChange={(e) => setOrg(e.target.value)} required>
                  {items.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.name} — {label(o.kind)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
        </>
      )}
      {error !== undefined && <ErrorView error={error} />}
      <button type="submit" className="primary" disabled={role === 'company' && !org}>
        {t('signIn')}
      </button>
    </form>
  );
}

function TokenSignIn({ onToken }: { onToken: (token: string) => boolean }) {
  const { t } = useI18n();
  const [token, setToken] = useState('');
  const [bad, setBad] = useState(false);
  return (
    <form
      className="card"
      aria-labelledby="token-signin"
      onSubmit={(e) => {
        e.preventDefault();
        setBad(!onToken(token.trim()));
      }}
    >
      <h2 id="token-signin">{t('tokenSignIn')}</h2>
      <Field label={t('accessToken')} hint={t('tokenHelp')} error={bad ? t('invalidToken') : undefined}>
        {(p) => <textarea {...p} rows={3} value={token} onChange={(e) => setToken(e.target.value)} required />}
      </Field>
      <button type="submit">{t('signIn')}</button>
    </form>
  );
}

/**
 * Development: pick a role and organisation (AUTH_DEV_LOGIN=1). Production: the identity
 * provider redirects back with `#access_token=…` (or the user pastes a token); the console
 * sends it as a bearer token and the services verify it.
 */
export function SignInPage({ returnTo }: { returnTo: string }) {
  const { t } = useI18n();
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const config = useQuery({ queryKey: ['auth-config'], queryFn: () => getJson<{ devLogin: boolean }>('/auth/config') });
  const accept = (token: string) => {
    const ok = signIn(token);
    if (ok) navigate(returnTo, { replace: true });
    return ok;
  };
  useEffect(() => {
    const fromFragment = new URLSearchParams(window.location.hash.slice(1)).get('access_token');
    if (fromFragment) {
      window.history.replaceState(null, '', window.location.pathname);
      accept(fromFragment);
    }
  }, []);
  return (
    <Page title={t('signIn')}>
      <div className="signin">
        {config.isPending ? (
          <Loading />
        ) : config.isError ? (
          <ErrorView error={config.error} onRetry={() => void config.refetch()} />
        ) : (
          config.data.devLogin && <DevSignIn onToken={accept} />
        )}
        <TokenSignIn onToken={accept} />
      </div>
    </Page>
  );
}
