import { createLogger } from '@lm/logger';
import { testEndpoints, uniqueName } from '@lm/testing';
import { createElasticsearchClient } from '../../src/data/elasticsearch.client';
import { runEval } from '../../src/eval/eval';
import { loadLabelledSet } from '../../src/eval/labelled';
import { ndcgAt, precisionAt } from '../../src/eval/metrics';

describe('ranking quality on the labelled set (eval/labelled.json)', () => {
  it('when the service and a plain BM25 baseline rank the same set, then the service has the higher nDCG@10 and P@5', async () => {
    const es = createElasticsearchClient(testEndpoints().elasticsearchUrl);
    try {
      const report = await runEval(es, loadLabelledSet(), { alias: uniqueName('it-eval'), logger: createLogger({ service: 'eval-test', level: 'silent' }) });
      expect(report.companies).toBeGreaterThanOrEqual(6);
      expect(report.service.ndcg10).toBeGreaterThan(report.baseline.ndcg10);
      expect(report.service.p5).toBeGreaterThan(report.baseline.p5);
      // Every company's best counterpart (grade 2) is in the service's top 3.
      const set = loadLabelledSet();
      for (const p of report.perCompany) {
        const best = Object.entries(set.judgements[p.companyId]!)
          .filter(([, g]) => g === 2)
          .map(([id]) => id);
        expect(p.service.slice(0, 3).some((id) => best.includes(id))).toBe(true);
      }
    } finally {
      await es.close();
    }
  });
});

describe('eval metrics', () => {
  const grades = { a: 2, b: 1 };
  it('when the ranking is ideal, then nDCG is 1; when reversed behind an irrelevant item, then lower', () => {
    expect(ndcgAt(10, ['a', 'b'], grades)).toBe(1);
    expect(ndcgAt(10, ['x', 'b', 'a'], grades)).toBeLessThan(1);
    expect(ndcgAt(10, [], grades)).toBe(0);
  });
  it('when two of the top five are relevant, then P@5 is 0.4', () => {
    expect(precisionAt(5, ['a', 'x', 'b', 'y', 'z'], grades)).toBe(0.4);
  });
});
