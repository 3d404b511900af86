import { createLogger } from '@lm/logger';
import { createElasticsearchClient } from '../data/elasticsearch.client';
import { WEIGHTS } from '../domain/scoring/weights.v1';
import { runEval } from './eval';
import { loadLabelledSet } from './labelled';

/** `npm run eval -w services/matching`: nDCG@10 and P@5 of the service vs a plain BM25 baseline, same run. */
async function main() {
  const logger = createLogger({ service: 'matching-eval', level: 'warn' });
  const es = createElasticsearchClient(process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200');
  const alias = `eval-${Date.now()}`;
  try {
    const report = await runEval(es, loadLabelledSet(), { alias, logger });
    const f = (x: number) => x.toFixed(3);
    process.stdout.write(`labelled set: ${report.organisations} organisations, ${report.companies} companies; weights ${WEIGHTS.version}\n\n`);
    process.stdout.write('company  nDCG@10 service  baseline   service top-5                 baseline top-5\n');
    for (const p of report.perCompany) {
      process.stdout.write(
        `${p.companyId.padEnd(8)} ${f(p.serviceNdcg).padStart(15)} ${f(p.baselineNdcg).padStart(9)}   ${p.service.slice(0, 5).join(',').padEnd(29)} ${p.baseline.slice(0, 5).join(',')}\n`,
      );
    }
    process.stdout.write(
      `\n              nDCG@10   P@5\nservice       ${f(report.service.ndcg10)}     ${f(report.service.p5)}\nBM25 baseline ${f(report.baseline.ndcg10)}     ${f(report.baseline.p5)}\n`,
    );
    process.stdout.write(
      `\nservice rankings served from: the stored ranking ${report.servedBy.stored}, the stored top-N re-scored ${report.servedBy.top_n}, live ${report.servedBy.live} (of ${report.companies})\n`,
    );
  } finally {
    await es.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`eval failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
