import { testEndpoints, uniqueName } from '../../src';

// Proves the Elasticsearch engine the tests get is real: a document is indexed and found
// by a scored full-text query, the better match ranked first.
describe('Elasticsearch engine', () => {
  const base = testEndpoints().elasticsearchUrl;
  const index = uniqueName('engine-check');
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { hits: { hits: { _id: string; _score: number }[] } } };
  };

  afterAll(async () => {
    await call('DELETE', `/${index}`);
  });

  it('when documents are indexed, then a scored match query finds the best one first', async () => {
    const created = await call('PUT', `/${index}`, {
      settings: { number_of_replicas: 0 },
      mappings: { properties: { name: { type: 'text' }, kind: { type: 'keyword' } } },
    });
    expect(created.status).toBe(200);
    await call('PUT', `/${index}/_doc/1?refresh=true`, { name: 'Istituto di ricerca in oncologia e cardiologia', kind: 'research_centre' });
    await call('PUT', `/${index}/_doc/2?refresh=true`, { name: 'Oncologia oncologia pediatrica', kind: 'research_centre' });
    await call('PUT', `/${index}/_doc/3?refresh=true`, { name: 'Fondo di venture capital', kind: 'investor' });

    const res = await call('POST', `/${index}/_search`, {
      query: { bool: { must: { match: { name: 'oncologia' } }, filter: { term: { kind: 'research_centre' } } } },
    });
    const hits = res.body.hits.hits;
    expect(hits.map((h) => h._id)).toEqual(['2', '1']);
    expect(hits[0]!._score).toBeGreaterThan(hits[1]!._score);
  });
});
