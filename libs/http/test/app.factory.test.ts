import { AppError } from '@lm/errors';
import { createLogger } from '@lm/logger';
import { Router } from 'express';
import request from 'supertest';
import { z } from 'zod';
import { createHttpApp, parseOrThrow } from '../src';

const logger = createLogger({ service: 'test', level: 'silent' });

function app(readiness = {}) {
  const routes = Router();
  routes.post('/things', (req, res) => {
    const body = parseOrThrow(z.object({ name: z.string().min(2), size: z.number().int() }), req.body, 'body');
    res.status(201).json(body);
  });
  routes.get('/boom', () => {
    throw new Error('secret internal detail');
  });
  routes.get('/things/:id', (req, res) => {
    res.json({ id: req.params.id });
  });
  routes.get('/gone', () => {
    throw AppError.notFound('thing');
  });
  return createHttpApp({ service: 'test', logger, routes, readiness, openapi: () => ({ openapi: '3.1.0' }), bodyLimit: '1kb' });
}

describe('createHttpApp', () => {
  it('when the body fails validation, then 400 lists every bad field under body', async () => {
    const res = await request(app()).post('/things').send({ name: 'x', size: 1.5 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['body.name', 'body.size']);
  });

  it('when the body is not JSON, then 400 with a clear message, not a 500', async () => {
    const res = await request(app()).post('/things').set('content-type', 'application/json').send('{"name":');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/not valid JSON/);
  });

  it('when the body is over the limit, then 413 payload_too_large', async () => {
    const res = await request(app())
      .post('/things')
      .send({ name: 'x'.repeat(5000), size: 1 });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it.each(['gzip', 'deflate', 'br'])('when a %s Content-Encoding body cannot be decompressed, then 400 validation_failed, not a 500', async (encoding) => {
    const res = await request(app()).post('/things').set('content-type', 'application/json').set('content-encoding', encoding).send('{"name":"ab","size":1}');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', message: 'request body could not be decoded' });
    expect(res.body.error.details[0].field).toBe('body');
  });

  it('when the Content-Encoding is unknown, then 415 unsupported_media_type', async () => {
    const res = await request(app()).post('/things').set('content-type', 'application/json').set('content-encoding', 'zstd-x').send('{}');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });

  it('when a path parameter is not valid percent-encoding, then 400 naming the path, not a 500', async () => {
    const res = await request(app()).get('/things/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', message: 'request path is not valid percent-encoding' });
    expect(res.body.error.details).toEqual([{ field: 'path', message: "Failed to decode param '%E0%A4%A'" }]);
  });

  it('when a handler throws an unexpected error, then 500 without the message or a stack', async () => {
    const res = await request(app()).get('/boom');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'internal', message: 'internal error', details: [] } });
  });

  it('when an AppError is thrown, then its status and code are returned', async () => {
    const res = await request(app()).get('/gone');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('when a route does not exist, then 404 names it', async () => {
    const res = await request(app()).get('/nope');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('GET /nope');
  });

  it('when a request carries x-request-id, then the response echoes it; otherwise one is generated', async () => {
    const a = await request(app()).get('/healthz').set('x-request-id', 'abc-123');
    expect(a.headers['x-request-id']).toBe('abc-123');
    const b = await request(app()).get('/healthz');
    expect(b.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when an engine check fails, then /readyz is 503 naming the engine', async () => {
    const res = await request(
      app({
        mongo: async () => 'ok',
        kafka: async () => {
          throw new Error('ECONNREFUSED');
        },
      }),
    ).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body.checks).toEqual({ mongo: 'ok', kafka: 'error: ECONNREFUSED' });
  });

  it('when requests were served, then /metrics exposes counts and latency by route in Prometheus format', async () => {
    const a = app();
    await request(a).get('/gone');
    const res = await request(a).get('/metrics');
    expect(res.text).toMatch(/http_requests_total\{[^}]*route="\/gone"[^}]*status="404"/);
    expect(res.text).toContain('http_request_duration_seconds_bucket');
  });

  it('when /openapi.json is asked for, then the document is served', async () => {
    expect((await request(app()).get('/openapi.json')).body).toEqual({ openapi: '3.1.0' });
  });
});
