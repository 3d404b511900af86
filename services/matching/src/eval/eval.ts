import type { Client } from '@elastic/elasticsearch';
import { makeEnvelope, ORGANISATION_EVENT_TYPES, type OrganisationEvent } from '@lm/contracts';
import type { EventProducer } from '@lm/kafka';
import type { Logger } from '@lm/logger';
import { applyOrganisationEvents } from '../domain/index-organisations.usecase';
import { findMatches, type RankingSource } from '../domain/find-matches.usecase';
import { recomputeTopN } from '../domain/recompute-topn.usecase';
import { createMatchingDeps } from '../wiring';
import type { LabelledSet } from './labelled';
import { mean, ndcgAt, precisionAt } from './metrics';

/** Eval runs without Kafka: the top-N maintenance publishes into a no-op producer. */
const noProducer: EventProducer = {
  connect: async () => undefined,
  publish: async () => undefined,
  sendRaw: async () => undefined,
  disconnect: async () => undefined,
};

const KINDS = ['research_centre', 'investor'] as const;

export interface EvalReport {
  companies: number;
  organisations: number;
  service: { ndcg10: number; p5: number };
  /** How many companies each path answered (stored ranking, two-stage from the stored top-N, live). */
  servedBy: Record<RankingSource, number>;
  baseline: { ndcg10: number; p5: number };
  perCompany: { companyId: string; service: string[]; baseline: string[]; serviceNdcg: number; baselineNdcg: number }[];
}

/**
 * The plain BM25 baseline: every text of the company in one query string, one multi_match on
 * the one `allText` field (standard analyzer), same kind filter — no normalisation, no parts.
 */
function baselineQuery(company: LabelledSet['organisations'][number]) {
  const text = [...company.needs.flatMap((n) => [n.title, n.text, ...n.keywords]), ...company.specialties, ...company.s3Areas].join(' ');
  return {
    size: 10,
    query: {
      bool: {
        must: [{ multi_match: { query: text, fields: ['allText'] } }],
        filter: [{ terms: { kind: [...KINDS] } }],
        must_not: [{ ids: { values: [company.id] } }],
      },
    },
  };
}

/** Indexes the labelled set into a throwaway alias through the service's indexing path and scores both rankers. */
export async function runEval(es: Client, set: LabelledSet, opts: { alias: string; logger: Logger }): Promise<EvalReport> {
  const deps = await createMatchingDeps({ es, alias: opts.alias, producer: noProducer, logger: opts.logger, settings: { suggestionsTopic: 'unused' } });
  try {
    const events = set.organisations.map(
      (o) =>
        makeEnvelope({
          type: ORGANISATION_EVENT_TYPES.upserted,
          key: o.id,
          source: 'eval',
          data: { organisation: o, version: o.version },
        }) as unknown as OrganisationEvent,
    );
    await applyOrganisationEvents(deps, events, { recompute: false });
    await deps.index.refresh();

    const companies = set.organisations.filter((o) => set.judgements[o.id]);
    // The top-N the pipeline maintains, then each ranking as GET /organisations/:id/matches?limit=10 computes it.
    await recomputeTopN(
      deps,
      companies.map((c) => c.id),
    );
    const perCompany = [];
    const servedBy: Record<RankingSource, number> = { stored: 0, top_n: 0, live: 0 };
    for (const c of companies) {
      const grades = set.judgements[c.id]!;
      const { result, source } = await findMatches(deps, c.id, { kinds: KINDS, limit: 10 }, () => 'en');
      servedBy[source]++;
      const service = result.items.map((m) => m.candidate.id);
      const res = await deps.index.search(baselineQuery(c));
      const baseline = res.hits.hits.map((h) => h._id!);
      perCompany.push({
        companyId: c.id,
        service,
        baseline,
        serviceNdcg: ndcgAt(10, service, grades),
        baselineNdcg: ndcgAt(10, baseline, grades),
        serviceP5: precisionAt(5, service, grades),
        baselineP5: precisionAt(5, baseline, grades),
      });
    }
    return {
      companies: companies.length,
      organisations: set.organisations.length,
      service: { ndcg10: mean(perCompany.map((p) => p.serviceNdcg)), p5: mean(perCompany.map((p) => p.serviceP5)) },
      servedBy,
      baseline: { ndcg10: mean(perCompany.map((p) => p.baselineNdcg)), p5: mean(perCompany.map((p) => p.baselineP5)) },
      perCompany: perCompany.map(({ serviceP5: _s, baselineP5: _b, ...rest }) => rest),
    };
  } finally {
    const indices = [...(await deps.index.concreteIndices()), deps.topn.index, deps.feedback.index];
    await es.indices.delete({ index: indices, ignore_unavailable: true });
  }
}
