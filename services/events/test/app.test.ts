import { createTestAuth } from '@lm/testing';
import { createLogger } from '@lm/logger';
import request from 'supertest';
import { createApp } from '../src/app';


describe('events app', () => {
  const app = createApp({
    logger: createLogger({ service: 'events', level: 'silent' }),
    verifier: createTestAuth().verifier,
    readiness: { mongo: async () => undefined },
  });

  it('when /healthz is asked, then the process reports ok', async () => {
    const res = await request(app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', service: 'events' });
  });

  it('when /openapi.json is asked, then an OpenAPI 3.1 document is served', async () => {
    const res = await request(app).get('/openapi.json');
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.info.title).toBe('Events service');
  });

  it('when the OpenAPI document is read, then the agenda formats, the 422 of an unknown organisation and the 428 of a schedule edit without If-Match are documented', async () => {
    const { paths } = (await request(app).get('/openapi.json')).body;
    expect(Object.keys(paths['/events/{id}/participants/{pid}/agenda'].get.responses['200'].content).sort()).toEqual(['application/json', 'text/calendar', 'text/csv']);
    expect(Object.keys(paths['/events/{id}/participants'].post.responses)).toContain('422');
    expect(Object.keys(paths['/events/{id}/schedule'].patch.responses)).toContain('428');
  });

  it('when the OpenAPI document is read, then every list is a cursor page with a bounded limit, and cancellation and run progress are documented', async () => {
    const doc = (await request(app).get('/openapi.json')).body;
    for (const list of ['/events', '/events/{id}/participants', '/events/{id}/requests', '/events/{id}/participants/{pid}/suggestions']) {
      const params = doc.paths[list].get.parameters.filter((p: { in: string }) => p.in === 'query');
      expect(params.find((p: { name: string }) => p.name === 'limit').schema).toMatchObject({ minimum: 1, maximum: 100 });
      expect(params.map((p: { name: string }) => p.name)).toContain('cursor');
      const page = doc.paths[list].get.responses['200'].content['application/json'].schema;
      const shape = page.$ref ? doc.components.schemas[page.$ref.split('/').pop()] : page;
      expect(Object.keys(shape.properties).sort()).toEqual(['items', 'nextCursor']);
    }
    expect(doc.paths['/events/{id}:cancel'].post.responses['200']).toBeDefined();
    expect(doc.paths['/events/{id}/schedule/run'].get.responses['200']).toBeDefined();
    expect(doc.components.schemas.ParticipantCard.properties).not.toHaveProperty('availability');
    expect(doc.paths['/events/{id}/schedule:generate'].post.responses['429']).toBeDefined();
  });

  it('when any response is sent, then it carries the security headers', async () => {
    const res = await request(app).get('/events');
    expect(res.status).toBe(404); // no repositories wired in this bare app
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
  });
});
