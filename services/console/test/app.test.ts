import { createVerifier, generateKeyPair } from '@lm/auth';
import { createLogger } from '@lm/logger';
import express from 'express';
import fs from 'fs';
import type { AddressInfo } from 'net';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { createApp, type AppDeps } from '../src/app';
import { createDevSigner } from '../src/http/dev-login.routes';

const keys = generateKeyPair();
const signer = createDevSigner({ privateKey: keys.privateKey, issuer: 'iss', audience: 'aud', ttlSeconds: 600 });
const logger = createLogger({ service: 'console', level: 'silent' });

/** A built SPA stand-in: index.html and one hashed asset. */
function webDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-web-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
  fs.writeFileSync(path.join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
  return dir;
}

/** A real HTTP upstream that echoes what it received (method, path, headers, body). */
async function echoUpstream(): Promise<{ url: string; close: () => Promise<void> }> {
  const app = express();
  app.use(express.text({ type: '*/*' }));
  app.all(/.*/, (req, res) =>
    res.status(207).json({
      method: req.method,
      url: req.url,
      authorization: req.headers.authorization ?? null,
      requestId: req.headers['x-request-id'] ?? null,
      body: req.body ?? null,
    }),
  );
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

function appWith(overrides: Partial<AppDeps> = {}) {
  return createApp({
    logger,
    upstreams: { profiles: 'http://127.0.0.1:1', matching: 'http://127.0.0.1:1', events: 'http://127.0.0.1:1' },
    webDir: webDir(),
    readiness: {},
    ...overrides,
  });
}

describe('console server', () => {
  describe('development sign-in', () => {
    it('when AUTH_DEV_LOGIN is off, then the SPA is told so and the sign-in endpoint does not exist', async () => {
      const app = appWith();
      expect((await request(app).get('/auth/config')).body).toEqual({ devLogin: false });
      const res = await request(app).post('/auth/dev-login').send({ role: 'hub_staff' });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    });

    it('when a company signs in with its organisation, then it gets a token the services verify, naming that organisation', async () => {
      const app = appWith({ devSigner: signer });
      expect((await request(app).get('/auth/config')).body).toEqual({ devLogin: true });
      const res = await request(app).post('/auth/dev-login').send({ role: 'company', organisationId: 'org-1' });
      expect(res.status).toBe(201);
      expect(res.headers['cache-control']).toBe('no-store');
      const principal = createVerifier(keys.publicKey, { issuer: 'iss', audience: 'aud' }).verify(res.body.token);
      expect(principal).toMatchObject({ role: 'company', org: 'org-1' });
    });

    it('when a company signs in without an organisation or with an unknown role, then it gets a 400 naming the field', async () => {
      const app = appWith({ devSigner: signer });
      const noOrg = await request(app).post('/auth/dev-login').send({ role: 'company' });
      expect(noOrg.status).toBe(400);
      expect(noOrg.body.error.details).toEqual([expect.objectContaining({ field: 'body.organisationId' })]);
      const badRole = await request(app).post('/auth/dev-login').send({ role: 'root' });
      expect(badRole.status).toBe(400);
      expect(badRole.body.error.details[0].field).toBe('body.role');
    });
  });

  describe('API proxy', () => {
    let upstream: Awaited<ReturnType<typeof echoUpstream>>;
    beforeAll(async () => (upstream = await echoUpstream()));
    afterAll(() => upstream.close());

    it('when the SPA calls /api/<service>/…, then the service gets the path after the prefix, the bearer token, the request id and the JSON body', async () => {
      const app = appWith({ upstreams: { profiles: upstream.url, matching: upstream.url, events: upstream.url } });
      const res = await request(app)
        .patch('/api/profiles/organisations/o1?x=1')
        .set('authorization', 'Bearer t0k')
        .set('x-request-id', 'req-42')
        .send({ legalName: 'Acme' });
      expect(res.status).toBe(207);
      expect(res.body).toEqual({
        method: 'PATCH',
        url: '/organisations/o1?x=1',
        authorization: 'Bearer t0k',
        requestId: 'req-42',
        body: JSON.stringify({ legalName: 'Acme' }),
      });
    });

    it('when a CSV is imported through the proxy, then it reaches the service as sent', async () => {
      const app = appWith({ upstreams: { profiles: upstream.url, matching: upstream.url, events: upstream.url } });
      const csv = 'kind,legalName\ncompany,"Rossi, S.p.A."\n';
      const res = await request(app).post('/api/profiles/organisations:import').set('content-type', 'text/csv').send(csv);
      expect(res.body).toMatchObject({ method: 'POST', url: '/organisations:import', body: csv });
    });

    it('when a service is down, then the SPA gets a 503 JSON error it can show, not a hang or an HTML page', async () => {
      const res = await request(appWith()).get('/api/matching/organisations/o1/matches');
      expect(res.status).toBe(503);
      expect(res.body.error).toMatchObject({ code: 'dependency_unavailable', message: 'the matching service is not reachable' });
    });
  });

  describe('the single-page app', () => {
    it('when a deep link is opened, then index.html is served with a strict CSP and no caching', async () => {
      const res = await request(appWith()).get('/events/e1/schedule').set('accept', 'text/html');
      expect(res.status).toBe(200);
      expect(res.text).toContain('<div id="root">');
      expect(res.headers['cache-control']).toBe('no-cache');
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    });

    it('when a hashed asset is asked, then it is cached for a year; a missing one is a 404, not index.html', async () => {
      const app = appWith();
      const asset = await request(app).get('/assets/index-abc.js');
      expect(asset.status).toBe(200);
      expect(asset.headers['cache-control']).toContain('max-age=31536000');
      expect((await request(app).get('/assets/missing.js')).status).toBe(404);
    });

    it('when an unknown /api path that is no service is asked, then it is a JSON 404', async () => {
      const res = await request(appWith()).get('/api/nothing').set('accept', 'text/html');
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    });
  });
});
