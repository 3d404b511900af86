import { authenticate, canActForOrganisation, principalOf, type TokenVerifier } from '@lm/auth';
import { AppError } from '@lm/errors';
import { parseOrThrow } from '@lm/http';
import { Router } from 'express';
import { pickLang } from '../domain/scoring/explanation';
import type { MatchingDeps } from '../usecases/deps';
import { recordFeedback } from '../usecases/feedback.usecase';
import { findMatches } from '../usecases/find-matches.usecase';
import { FeedbackBody, IdParams, MatchesQuery, MatchIdParams } from './matches.schemas';

/**
 * Who may ask: a company for its own organisation (token `org`), hub staff and admins for any.
 * Partners get 403: they are external systems that follow `matching.suggestions.v1`, not
 * interactive users of one company's ranking.
 */
export function matchesRoutes(deps: MatchingDeps, verifier: TokenVerifier): Router {
  const r = Router();
  r.use(['/organisations', '/matches'], authenticate(verifier));

  r.get('/organisations/:id/matches', async (req, res) => {
    const { id } = parseOrThrow(IdParams, req.params, 'params');
    const query = parseOrThrow(MatchesQuery, req.query, 'query');
    const principal = principalOf(req);
    if (!canActForOrganisation(principal, id)) throw AppError.forbidden('a company may only see its own matches');
    const result = await findMatches(deps, id, { kinds: query.kinds, limit: query.limit, s3Area: query.s3Area, province: query.province }, (company) =>
      pickLang(query.lang, req.headers['accept-language'], company.languages),
    );
    res.json(result);
  });

  r.post('/matches/:matchId/feedback', async (req, res) => {
    const { matchId } = parseOrThrow(MatchIdParams, req.params, 'params');
    const body = parseOrThrow(FeedbackBody, req.body, 'body');
    res.status(201).json(await recordFeedback(deps, principalOf(req), matchId, body));
  });
  return r;
}
