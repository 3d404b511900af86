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

  it('when the OpenAPI document is read, then it documents the 400 for an unreadable If-Match, the 415 of an import, and import rows reported one by one (not refused)', async () => {
    const { paths } = (await request(app).get('/openapi.json')).body;
    expect(Object.keys(paths['/organisations/{id}'].delete.responses)).toContain('400');
    const importOp = paths['/organisations:import'].post;
    expect(Object.keys(importOp.responses)).toContain('415');
    expect(importOp.requestBody.content['application/json'].schema.items.required).toBeUndefined();
  });
});
