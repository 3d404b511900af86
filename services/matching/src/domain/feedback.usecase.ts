import { makeEnvelope, MATCH_EVENT_TYPES, type OrganisationKind } from '@lm/contracts';
import { canActForOrganisation, type Principal } from '@lm/auth';
import { AppError } from '@lm/errors';
import type { MatchingDeps } from './matching.ports';
import { recomputeTopN } from './recompute-topn.usecase';

export function parseMatchId(matchId: string): { companyId: string; candidateId: string } {
  const parts = matchId.split('~');
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    throw AppError.validation('invalid match id', [{ field: 'params.matchId', message: 'must be <companyId>~<candidateId>' }]);
  }
  return { companyId: parts[0], candidateId: parts[1] };
}

/**
 * A company (for its own matches) or staff records a decision: stored, published as
 * match.accepted / match.declined, and the top-N recomputed (a declined candidate is
 * withdrawn with reason `declined`; an accepted one gets the mild feedback boost).
 */
export async function recordFeedback(deps: MatchingDeps, principal: Principal, matchId: string, body: { decision: 'accepted' | 'declined'; reason?: string }) {
  const { companyId, candidateId } = parseMatchId(matchId);
  if (!canActForOrganisation(principal, companyId)) throw AppError.forbidden('only the company itself or hub staff may give feedback on its matches');
  const [company, candidate] = await deps.index.getMany([companyId, candidateId]);
  if (!company || company.kind !== 'company') throw AppError.notFound(`organisation ${companyId}`);
  if (!candidate) throw AppError.notFound(`organisation ${candidateId}`);
  const at = new Date().toISOString();
  await deps.feedback.record(companyId, { candidateId, decision: body.decision, reason: body.reason, decidedBy: principal.sub, at });
  const data = {
    matchId,
    companyId,
    candidateId,
    candidateKind: candidate.kind as OrganisationKind,
    candidateName: candidate.name ?? candidateId,
    decision: body.decision,
    ...(body.reason ? { reason: body.reason } : {}),
    decidedBy: principal.sub,
  };
  const type = body.decision === 'accepted' ? MATCH_EVENT_TYPES.accepted : MATCH_EVENT_TYPES.declined;
  // Keyed by match: on the compacted topic the latest decision per match survives.
  await deps.producer.publish(deps.settings.suggestionsTopic, [makeEnvelope({ type, key: matchId, source: deps.settings.source, data })]);
  await recomputeTopN(deps, [companyId]);
  return { matchId, companyId, candidateId, decision: body.decision, decidedAt: at };
}
