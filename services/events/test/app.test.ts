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

  // Responses are checked against the document for real in test/integration/openapi.contract.int.test.ts;
  // these are the request-side promises a client builds on.
  it('when the OpenAPI document is read, then every list takes a cursor and a limit bounded to 1..100, and a participant card shows no availability', async () => {
    const doc = (await request(app).get('/openapi.json')).body;
    for (const list of ['/events', '/events/{id}/participants', '/events/{id}/requests', '/events/{id}/participants/{pid}/suggestions']) {
      const params = doc.paths[list].get.parameters.filter((p: { in: string }) => p.in === 'query');
      expect(params.find((p: { name: string }) => p.name === 'limit').schema).toMatchObject({ minimum: 1, maximum: 100 });
      expect(params.map((p: { name: string }) => p.name)).toContain('cursor');
    }
    expect(doc.components.schemas.ParticipantCard.properties).not.toHaveProperty('availability');
  });

  it('when any response is sent, then it carries the security headers', async () => {
    const res = await request(app).get('/events');
    expect(res.status).toBe(404); // no repositories wired in this bare app
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('when two instances are configured with their own MEETINGS_TOPIC, then each /asyncapi.json documents its topic (not the first one built)', async () => {
    const appOn = (meetingsTopic: string) =>
      createApp({ logger: createLogger({ service: 'events', level: 'silent' }), verifier: createTestAuth().verifier, readiness: {}, meetingsTopic });
    for (const topic of ['tenant-a.meetings', 'tenant-b.meetings']) {
      const doc = (await request(appOn(topic)).get('/asyncapi.json')).body;
      expect(Object.values(doc.channels).map((c) => (c as { address: string }).address)).toEqual([topic]);
      expect(Object.keys(doc.components.messages)).toHaveLength(9);
    }
  });
});
