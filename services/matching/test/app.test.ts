import { createTestAuth } from '@lm/testing';
import { createLogger } from '@lm/logger';
import request from 'supertest';
import { createApp } from '../src/app';

describe('matching app', () => {
  const app = createApp({
    logger: createLogger({ service: 'matching', level: 'silent' }),
    verifier: createTestAuth().verifier,
    readiness: { elasticsearch: async () => undefined },
  });

  it('when /healthz is asked, then the process reports ok', async () => {
    const res = await request(app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', service: 'matching' });
  });

  it('when /openapi.json is asked, then an OpenAPI 3.1 document is served', async () => {
    const res = await request(app).get('/openapi.json');
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.info.title).toBe('Matching service');
  });

  // Responses are checked against the document for real in test/integration/openapi.contract.int.test.ts;
  // these are the request-side promises clients build on.
  it('when the OpenAPI document is read, then matches take If-None-Match and the partner pages take limit, cursor and updatedSince', async () => {
    const { paths } = (await request(app).get('/openapi.json')).body;
    expect(paths['/organisations/{id}/matches'].get.parameters.map((p: { name: string }) => p.name)).toContain('if-none-match');
    expect(paths['/suggestions'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['limit', 'cursor', 'updatedSince', 'if-none-match']),
    );
  });

  it('when /asyncapi.json is asked, then the compacted matching.suggestions.v2 is documented with its three messages', async () => {
    const res = await request(app).get('/asyncapi.json');
    expect(res.body.asyncapi).toBe('3.0.0');
    const channel = res.body.channels['matching_suggestions_v2'];
    expect(channel.address).toBe('matching.suggestions.v2');
    expect(channel.description).toContain('compact');
    expect(Object.keys(res.body.components.messages).sort()).toEqual(['match_accepted', 'match_declined', 'match_suggestions_changed']);
    expect(res.body.components.messages.match_suggestions_changed.payload.properties.data.required).toEqual(
      expect.arrayContaining(['companyId', 'changes', 'topN']),
    );
  });

  it('when the admin routes are called without a token, then 401', async () => {
    expect((await request(app).post('/admin/reindex')).status).toBe(401);
  });

  it('when two instances are configured with their own SUGGESTIONS_TOPIC, then each /asyncapi.json documents its topic', async () => {
    const appOn = (suggestionsTopic: string) =>
      createApp({ logger: createLogger({ service: 'matching', level: 'silent' }), verifier: createTestAuth().verifier, readiness: {}, suggestionsTopic });
    for (const topic of ['tenant-a.suggestions', 'tenant-b.suggestions']) {
      const doc = (await request(appOn(topic)).get('/asyncapi.json')).body;
      expect(Object.values(doc.channels).map((c) => (c as { address: string }).address)).toEqual([topic]);
      expect(Object.keys(doc.operations)).toEqual([`publish_${topic.replace(/\./g, '_')}`]);
    }
  });
});
