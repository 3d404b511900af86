import { ROLES, signToken, type Principal } from '@lm/auth';
import { parseOrThrow } from '@lm/http';
import { AppError } from '@lm/errors';
import { Router } from 'express';
import { z } from '@lm/contracts';

/** Mints a token for a principal (the console's dev key signer); absent = dev sign-in is off. */
export type DevTokenSigner = (principal: Principal) => { token: string; expiresAt: string };

export function createDevSigner(opts: { privateKey: string; issuer: string; audience: string; ttlSeconds: number }): DevTokenSigner {
  return (principal) => {
    const token = signToken(principal, { privateKey: opts.privateKey, issuer: opts.issuer, audience: opts.audience, expiresInSeconds: opts.ttlSeconds });
    return { token, expiresAt: new Date(Date.now() + opts.ttlSeconds * 1000).toISOString() };
  };
}

const DevLoginBody = z
  .object({
    role: z.enum(ROLES),
    /** The organisation a company user acts for (required for `company`). */
    organisationId: z.string().trim().min(1).max(100).optional(),
    name: z.string().trim().min(1).max(100).optional(),
  })
  .strict()
  .refine((b) => b.role !== 'company' || b.organisationId, { message: 'a company user needs an organisation', path: ['organisationId'] });

/**
 * `GET /auth/config` tells the SPA which sign-in to offer; `POST /auth/dev-login` exists only
 * when AUTH_DEV_LOGIN=1. In production the identity provider issues the token and the SPA
 * takes it as a bearer token (see the README).
 */
export function authRoutes(signer: DevTokenSigner | undefined, profilesUrl: string): Router {
  const r = Router();
  r.get('/auth/config', (_req, res) => {
    res.setHeader('cache-control', 'no-store').json({ devLogin: Boolean(signer) });
  });
  r.post('/auth/dev-login', (req, res) => {
    if (!signer) throw AppError.notFound('development sign-in (AUTH_DEV_LOGIN is off)');
    const body = parseOrThrow(DevLoginBody, req.body, 'body');
    const sub = `dev-${body.role}-${(body.name ?? body.organisationId ?? 'user').toLowerCase().replace(/[^a-z0-9_-]+/g, '-')}`;
    const principal: Principal = { sub, role: body.role, ...(body.organisationId ? { org: body.organisationId } : {}) };
    res
      .setHeader('cache-control', 'no-store')
      .status(201)
      .json({ ...signer(principal), principal });
  });
  // The sign-in page lists organisations to act for; it has no token yet, so the console asks
  // profiles with a short-lived staff token of its own (dev sign-in only).
  r.get('/auth/dev-organisations', async (req, res) => {
    if (!signer) throw AppError.notFound('development sign-in (AUTH_DEV_LOGIN is off)');
    const { q, kind } = parseOrThrow(DevOrganisationsQuery, req.query, 'query');
    const { token } = signer({ sub: 'console-dev-login', role: 'hub_staff' });
    const url = new URL('/organisations', profilesUrl);
    url.searchParams.set('limit', '20');
    if (q) url.searchParams.set('q', q);
    if (kind) url.searchParams.set('kind', kind);
    const upstream = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5_000) }).catch((e: unknown) => {
      throw new AppError('dependency_unavailable', 'the profiles service is not reachable', { cause: e });
    });
    if (!upstream.ok) throw new AppError('dependency_unavailable', `the profiles service answered ${upstream.status}`);
    const page = (await upstream.json()) as { items: { id: string; legalName: string; kind: string }[] };
    res.setHeader('cache-control', 'no-store').json({ items: page.items.map((o) => ({ id: o.id, name: o.legalName, kind: o.kind })) });
  });
  return r;
}

const DevOrganisationsQuery = z
  .object({ q: z.string().trim().min(1).max(100).optional(), kind: z.enum(['company', 'research_centre', 'investor', 'intermediary']).optional() })
  .strict();
