import { authenticate, canActForOrganisation, principalOf, requireRole, type TokenVerifier } from '@lm/auth';
import { AppError } from '@lm/errors';
import { parseOrThrow } from '@lm/http';
import { createHash } from 'crypto';
import { Router, type Request, type Response } from 'express';
import { pickLang } from '../domain/scoring/explanation';
import type { MatchingDeps } from '../domain/matching.ports';
import { recordFeedback } from '../domain/feedback.usecase';
import { findMatches } from '../domain/find-matches.usecase';
import { listSuggestions } from '../domain/list-suggestions.usecase';
import { encodeCursor, FeedbackBody, IdParams, MatchesQuery, MatchIdParams, SuggestionsQuery } from './matches.schemas';

/**
 * Sends `body` with a strong ETag of its bytes: a client that sends the ETag back in
 * If-None-Match gets 304 and no body while the ranking is unchanged (express's `req.fresh`
 * does the RFC 9110 comparison). `no-cache` = may be stored, but revalidated every time.
 */
function sendWithETag(req: Request, res: Response, body: unknown): void {
  const json = JSON.stringify(body);
  res.setHeader('ETag', `"${createHash('sha256').update(json).digest('base64url').slice(0, 32)}"`);
  res.setHeader('Cache-Control', 'private, no-cache');
  if (req.fresh) {
    res.status(304).end();
    return;
  }
  res.type('application/json').send(json);
}

/**
 * Who may ask: a company for its own organisation (token `org`), hub staff and admins for any.
 * Partners get 403 there: they follow `matching.suggestions.v2`, and re-sync from the pages of
 * `GET /suggestions` (partner, hub staff, admin).
 */
export function matchesRoutes(deps: MatchingDeps, verifier: TokenVerifier): Router {
  const r = Router();
  r.use(['/organisations', '/matches', '/suggestions'], authenticate(verifier));

  r.get('/organisations/:id/matches', async (req, res) => {
    const { id } = parseOrThrow(IdParams, req.params, 'params');
    const query = parseOrThrow(MatchesQuery, req.query, 'query');
    const principal = principalOf(req);
    if (!canActForOrganisation(principal, id)) throw AppError.forbidden('a company may only see its own matches');
    const { result, source } = await findMatches(
      deps,
      id,
      { kinds: query.kinds, limit: query.limit, s3Area: query.s3Area, province: query.province },
      (company) => pickLang(query.lang, req.headers['accept-language'], company.languages),
    );
    res.setHeader('X-Ranking-Source', source);
    res.vary('Accept-Language');
    sendWithETag(req, res, result);
  });

  r.get('/suggestions', requireRole('partner', 'hub_staff', 'admin'), async (req, res) => {
    const query = parseOrThrow(SuggestionsQuery, req.query, 'query');
    const page = await listSuggestions(deps, { limit: query.limit, after: query.cursor, updatedSince: query.updatedSince });
    sendWithETag(req, res, { companies: page.companies, ...(page.next ? { next: encodeCursor(page.next) } : {}) });
  });

  r.post('/matches/:matchId/feedback', async (req, res) => {
    const { matchId } = parseOrThrow(MatchIdParams, req.params, 'params');
    const body = parseOrThrow(FeedbackBody, req.body, 'body');
    res.status(201).json(await recordFeedback(deps, principalOf(req), matchId, body));
  });
  return r;
}
