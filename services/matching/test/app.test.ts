import { createVerifier } from '@lm/auth';
import { createLogger } from '@lm/logger';
import { generateKeyPairSync } from 'crypto';
import request from 'supertest';
import { createApp } from '../src/app';

const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });

describe('matching app', () => {
  const app = createApp({
    logger: createLogger({ service: 'matching', level: 'silent' }),
    verifier: createVerifier(publicKey, { issuer: 'i', audience: 'a' }),
    readiness: { mongo: async () => undefined },
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
});
