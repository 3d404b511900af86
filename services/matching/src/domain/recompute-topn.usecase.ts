import {
  makeEnvelope,
  matchIdOf,
  MATCH_EVENT_TYPES,
  type Envelope,
  type SuggestionChange,
  type SuggestionItem,
  type SuggestionsChangedData,
} from '@lm/contracts';
import { AppError } from '@lm/errors';
import type { OrganisationDoc } from './organisation-doc';
import { pickLang } from './scoring/explanation';
import { sameRanking, type StoredRanking } from './topn/stored-ranking';
import { diffTopN, type TopNChange, type TopNItem } from './topn/topn-diff';
import type { MatchingDeps, StoredTopN, TopNDoc } from './matching.ports';
import { rankItems, scoreCompanies, type MatchItem } from './find-matches.usecase';

/**
 * One recomputation at a time per process: the consumer and the feedback route both diff
 * against the stored top-N, and two interleaved diffs could announce a state that is not the
 * stored one. (Across instances, the stored document's optimistic concurrency catches it.)
 */
let chain: Promise<unknown> = Promise.resolve();
function serialised<T>(fn: () => Promise<T>): Promise<T> {
  const run = chain.then(fn, fn);
  chain = run.catch(() => undefined);
  return run;
}

function toTopNItem(m: MatchItem): TopNItem {
  const { weightsVersion: _v, ...explanation } = m.explanation;
  return { candidateId: m.candidate.id, candidateKind: m.candidate.kind, candidateName: m.candidate.name, rank: m.rank, score: m.score, explanation };
}

function toSuggestionItem(companyId: string, item: TopNItem): SuggestionItem {
  return {
    matchId: matchIdOf(companyId, item.candidateId),
    candidateId: item.candidateId,
    candidateKind: item.candidateKind,
    candidateName: item.candidateName,
    rank: item.rank,
    score: item.score,
    explanation: item.explanation,
  };
}

function toSuggestionChange(companyId: string, change: TopNChange): SuggestionChange {
  const { item } = change;
  const ref = {
    matchId: matchIdOf(companyId, item.candidateId),
    candidateId: item.candidateId,
    candidateKind: item.candidateKind,
    candidateName: item.candidateName,
  };
  if (change.type === 'withdrawn') return { type: 'withdrawn', ...ref, reason: change.reason };
  if (change.type === 'updated') return { type: 'updated', ...ref, rank: item.rank, score: item.score, previous: change.previous };
  return { type: 'suggested', ...ref, rank: item.rank, score: item.score };
}

/** One message per company: its changes and its whole new top-N (the latest message per key is its state). */
function toEnvelope(deps: MatchingDeps, companyId: string, changes: TopNChange[], topN: TopNItem[]): Envelope {
  const data: SuggestionsChangedData = {
    companyId,
    weightsVersion: deps.weights.version,
    changes: changes.map((c) => toSuggestionChange(companyId, c)),
    topN: topN.map((i) => toSuggestionItem(companyId, i)),
  };
  return makeEnvelope({ type: MATCH_EVENT_TYPES.suggestionsChanged, key: companyId, source: deps.settings.source, data });
}

/**
 * Recomputes the top-N of `companyIds`, publishes the difference to the stored (= published)
 * state, then stores the new state. Publish-then-store: a crash in between re-publishes on
 * re-delivery (at-least-once, partners apply idempotently) instead of losing events.
 * Returns the number of messages published (at most one per company).
 */
export function recomputeTopN(deps: MatchingDeps, companyIds: string[]): Promise<number> {
  return serialised(async () => {
    const ids = [...new Set(companyIds)];
    let events = 0;
    // Chunks keep each _msearch and each publish bounded (a backlog batch may touch many companies).
    for (let i = 0; i < ids.length; i += CHUNK) events += await recomputeNow(deps, ids.slice(i, i + CHUNK));
    return events;
  });
}

const CHUNK = 50;

/**
 * The candidates that leave a top-N because they were deleted, read from the index (one `_mget`
 * of the dropped candidates): a recompute is also started by a full pass after a burst or by
 * feedback, which never see the deletion events themselves — the withdrawal must still say
 * `candidate_deleted`, not `left_top_n`.
 */
async function deletedAmongDropped(
  deps: MatchingDeps,
  companyIds: string[],
  stored: Map<string, StoredTopN>,
  scored: Map<string, MatchItem[]>,
): Promise<ReadonlySet<string>> {
  const dropped = new Set<string>();
  for (const companyId of companyIds) {
    const next = new Set((scored.get(companyId) ?? []).map((m) => m.candidate.id));
    for (const item of stored.get(companyId)?.doc?.items ?? []) if (!next.has(item.candidateId)) dropped.add(item.candidateId);
  }
  if (!dropped.size) return dropped;
  const ids = [...dropped];
  const docs = await deps.index.getMany(ids);
  return new Set(ids.filter((_, i) => !docs[i]));
}

/**
 * `restate`: the companies lost a race with another instance, which may have published after
 * this one: the state as now stored is published again even without changes, so the last
 * message of each company on the topic is always the stored state.
 */
async function recomputeNow(deps: MatchingDeps, companyIds: string[], attempt = 0, restate = false): Promise<number> {
  if (!companyIds.length) return 0;
  const [docs, feedback, stored] = await Promise.all([deps.index.getMany(companyIds), deps.feedback.getMany(companyIds), deps.topn.getMany(companyIds)]);
  const companies = docs.filter((d): d is OrganisationDoc => d?.kind === 'company');
  const langOf = (c: OrganisationDoc) => pickLang(undefined, undefined, c.languages);
  // Elasticsearch's order, kept as the stored ranking; ranked for the published top-N.
  const scored = await scoreCompanies(deps, companies, feedback, { kinds: deps.settings.topNKinds, limit: deps.settings.topN }, langOf);
  const deletedCandidates = await deletedAmongDropped(deps, companyIds, stored, scored);
  const computedAt = new Date().toISOString();

  const envelopes: Envelope[] = [];
  const writes: { doc: TopNDoc; seq: StoredTopN['seq'] }[] = [];
  for (const [i, companyId] of companyIds.entries()) {
    const before = stored.get(companyId)?.doc;
    const company = docs[i]?.kind === 'company' ? docs[i] : undefined;
    const previous = before?.items ?? [];
    const next = rankItems(scored.get(companyId) ?? []).map(toTopNItem);
    const ranking: StoredRanking | undefined = company && {
      companyVersion: company.profileVersion,
      feedbackVersion: feedback.get(companyId)?.version ?? 0,
      weightsVersion: deps.weights.version,
      lang: langOf(company),
      items: scored.get(companyId) ?? [],
      computedAt,
    };
    if (!previous.length && !next.length && !ranking) continue;
    const { changes, stored: state } = diffTopN(previous, next, {
      scoreThreshold: deps.settings.scoreThreshold,
      deletedCandidates,
      declined: new Set(feedback.get(companyId)?.declined ?? []),
      companyDeleted: !docs[i],
    });
    if (changes.length || restate) envelopes.push(toEnvelope(deps, companyId, changes, state));
    const stateChanged = changes.length > 0 || !before;
    // The ranking is rewritten whenever it or its inputs moved, even when nothing is worth
    // publishing: the read path serves it only while it matches the company's current versions.
    if (!stateChanged && (ranking ? sameRanking(before?.ranking, ranking) : !before?.ranking)) continue;
    writes.push({
      doc: {
        companyId,
        weightsVersion: deps.weights.version,
        candidateIds: state.map((x) => x.candidateId),
        items: state,
        updatedAt: stateChanged ? computedAt : before!.updatedAt,
        ...(ranking ? { ranking } : {}),
      },
      seq: stored.get(companyId)?.seq,
    });
  }

  await deps.producer.publish(deps.settings.suggestionsTopic, envelopes);
  const conflicts = await deps.topn.putMany(writes);
  if (envelopes.length) deps.logger.info({ companies: companyIds.length, events: envelopes.length }, 'top-N recomputed');
  // Another instance stored meanwhile (and published before storing): diff again against what
  // it stored and restate, so this instance's message published above is not the last word.
  if (!conflicts.length) return envelopes.length;
  if (attempt >= 5) throw AppError.unavailable(`top-N store (concurrent writers on ${conflicts.length} companies)`);
  return envelopes.length + (await recomputeNow(deps, conflicts, attempt + 1, true));
}
