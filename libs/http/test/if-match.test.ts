import { createLogger } from '@lm/logger';
import { Router } from 'express';
import request from 'supertest';
import { createHttpApp, expectedVersion, setEtag } from '../src';

const logger = createLogger({ service: 'test', level: 'silent' });

function app() {
  const routes = Router();
  routes.patch('/things/:id', (req, res) => {
    const version = expectedVersion(req);
    setEtag(res, version + 1);
    res.json({ version: version + 1 });
  });
  return createHttpApp({ service: 'test', logger, routes, readiness: {}, openapi: () => ({ openapi: '3.1.0' }) });
}

describe('expectedVersion (If-Match of every versioned write)', () => {
  it('when If-Match is missing, then 428 precondition_required names the If-Match field', async () => {
    const res = await request(app()).patch('/things/1').send({});
    expect(res.status).toBe(428);
    expect(res.body.error).toMatchObject({ code: 'precondition_required', details: [{ field: 'If-Match' }] });
  });

  it.each(['3', '"3"', 'W/"3"'])('when If-Match is %s, then the write sees version 3 and answers the next ETag', async (header) => {
    const res = await request(app()).patch('/things/1').set('If-Match', header).send({});
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"4"');
  });

  it('when If-Match is not a version, then 400 validation_failed names the If-Match field', async () => {
    const res = await request(app()).patch('/things/1').set('If-Match', '"abc"').send({});
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', details: [{ field: 'If-Match' }] });
  });
});
