import { createTestAuth } from '@lm/testing';
import { createLogger } from '@lm/logger';
import request from 'supertest';
import { createApp } from '../src/app';

describe('profiles app', () => {
  const app = createApp({
    logger: createLogger({ service: 'profiles', level: 'silent' }),
    verifier: createTestAuth().verifier,
    readiness: { mongo: async () => undefined },
  });

  it('when /healthz is asked, then the process reports ok', async () => {
    const res = await request(app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', service: 'profiles' });
  });

  it('when /openapi.json is asked, then an OpenAPI 3.1 document is served', async () => {
    const res = await request(app).get('/openapi.json');
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.info.title).toBe('Profiles service');
  });

  // Responses are checked against the document for real in test/integration/openapi.contract.test.ts;
  // this is the request-side promise import clients build on.
  it('when the OpenAPI document is read, then an import row is any object (bad rows are reported one by one, not refused)', async () => {
    const { paths } = (await request(app).get('/openapi.json')).body;
    expect(paths['/organisations:import'].post.requestBody.content['application/json'].schema.items.required).toBeUndefined();
  });

  it('when two instances are configured with their own topics, then each /asyncapi.json documents its topic and both organisation events', async () => {
    const appOn = (organisationsTopic: string) =>
      createApp({ logger: createLogger({ service: 'profiles', level: 'silent' }), verifier: createTestAuth().verifier, readiness: {}, organisationsTopic });
    for (const topic of ['tenant-a.organisations', 'tenant-b.organisations']) {
      const doc = (await request(appOn(topic)).get('/asyncapi.json')).body;
      expect(doc.asyncapi).toBe('3.0.0');
      expect(Object.values(doc.channels).map((c) => (c as { address: string }).address)).toEqual([topic]);
      expect(Object.keys(doc.components.messages).sort()).toEqual(['organisation_deleted', 'organisation_upserted']);
      expect(doc.components.messages.organisation_upserted.payload.properties.data.required).toEqual(expect.arrayContaining(['organisation', 'version']));
    }
  });
});
