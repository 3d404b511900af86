import { createVerifier } from '@lm/auth';
import { createLogger } from '@lm/logger';
import { generateKeyPairSync } from 'crypto';
import request from 'supertest';
import { createApp } from '../src/app';

const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });

describe('events app', () => {
  const app = createApp({
    logger: createLogger({ service: 'events', level: 'silent' }),
    verifier: createVerifier(publicKey, { issuer: 'i', audience: 'a' }),
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
});
