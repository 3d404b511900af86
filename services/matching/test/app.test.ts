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

  it('when /openapi.json is asked, then an OpenAPI 3.1 document lists the matching routes', async () => {
    const res = await request(app).get('/openapi.json');
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.info.title).toBe('Matching service');
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/organisations/{id}/matches', '/matches/{matchId}/feedback', '/admin/reindex', '/admin/reindex/{jobId}']));
  });

  it('when the OpenAPI document is read, then the matches ETag/304, the ranking source header and the partner pages with their cursor are documented', async () => {
    const { paths } = (await request(app).get('/openapi.json')).body;
    const matches = paths['/organisations/{id}/matches'].get;
    expect(Object.keys(matches.responses)).toEqual(expect.arrayContaining(['200', '304']));
    expect(Object.keys(matches.responses['200'].headers)).toEqual(expect.arrayContaining(['ETag', 'X-Ranking-Source']));
    expect(matches.parameters.map((p: { name: string }) => p.name)).toContain('if-none-match');
    const pages = paths['/suggestions'].get;
    expect(pages.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['limit', 'cursor', 'updatedSince']));
    expect(pages.responses['200'].content['application/json'].schema.$ref).toMatch(/SuggestionsPage$/);
  });

  it('when the OpenAPI document is read, then a job id that is not a UUID is documented as a 400', async () => {
    const { paths } = (await request(app).get('/openapi.json')).body;
    expect(Object.keys(paths['/admin/reindex/{jobId}'].get.responses)).toContain('400');
  });

  it('when /asyncapi.json is asked, then the compacted matching.suggestions.v2 is documented with its three messages', async () => {
    const res = await request(app).get('/asyncapi.json');
    expect(res.body.asyncapi).toBe('3.0.0');
    const channel = res.body.channels['matching_suggestions_v2'];
    expect(channel.address).toBe('matching.suggestions.v2');
    expect(channel.description).toContain('compact');
    expect(Object.keys(res.body.components.messages).sort()).toEqual(['match_accepted', 'match_declined', 'match_suggestions_changed']);
    expect(res.body.components.messages.match_suggestions_changed.payload.properties.data.required).toEqual(expect.arrayContaining(['companyId', 'changes', 'topN']));
  });

  it('when the admin routes are called without a token, then 401', async () => {
    expect((await request(app).post('/admin/reindex')).status).toBe(401);
  });
});
