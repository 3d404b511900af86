import { OrganisationEvent } from '@lm/contracts';
import { createLogger } from '@lm/logger';
import { connectMongo } from '@lm/mongo';
import { createTestAuth, testEndpoints, uniqueName } from '@lm/testing';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { createApp } from '../../src/app';
import { createEventsDeps } from '../../src/wiring';
import { organisationSnapshots } from '../../src/data/snapshots.repository';
import { organisationUpserted } from './fixtures';

/** The probe's findings on lists and participant views, through HTTP on FerretDB. */
const logger = createLogger({ service: 'events-lists-test', level: 'silent' });
const auth = createTestAuth();
const token = (sub: string, role: 'company' | 'hub_staff', org?: string) => auth.bearer({ sub, role, ...(org ? { org } : {}) });
const STAFF = token('staff-1', 'hub_staff');
const orgToken = (org: string) => token(`user-${org}`, 'company', org);

const eventBody = (title: string) => ({
  title,
  venue: 'MIND, Milano Innovation District',
  timeZone: 'Europe/Rome',
  sessions: [{ id: 'am', name: 'Morning', date: '2026-06-10', start: '09:00', end: '11:00', slotMinutes: 20, breakSlots: [], tables: 4 }],
  participantTypes: ['company', 'research_centre', 'investor'],
  meetRules: [
    { a: 'company', b: 'research_centre' },
    { a: 'company', b: 'investor' },
  ],
});

let mongo: Connection;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  mongo = await connectMongo({ uri: testEndpoints().mongoUri, dbName: uniqueName('events-lists').replace(/-/g, '_'), logger });
  const { repos } = await createEventsDeps(mongo);
  // Applied as the organisations consumer applies them (validated against the contract), without a Kafka round trip.
  const snapshots = organisationSnapshots(mongo);
  const upsert = (id: string, kind: Parameters<typeof organisationUpserted>[1], name: string) =>
    snapshots.apply(OrganisationEvent.parse(organisationUpserted(id, kind, name)));
  for (let i = 0; i < 8; i++) await upsert(`co-${i}`, 'company', `Company ${i}`);
  for (let i = 0; i < 4; i++) await upsert(`rc-${i}`, 'research_centre', `Research ${i}`);
  for (let i = 0; i < 2; i++) await upsert(`inv-${i}`, 'investor', `Investor ${i}`);
  app = createApp({ logger, verifier: auth.verifier, repos, readiness: {} });
});

afterAll(async () => {
  await mongo?.db?.dropDatabase();
  await mongo?.close();
});

/** Follows `nextCursor` to the end; returns every item and the page sizes seen. */
async function walk(path: string, auth: string, limit: number) {
  const items: { id?: string; participantId?: string }[] = [];
  const sizes: number[] = [];
  let cursor: string | null = null;
  do {
    const res: request.Response = await request(app)
      .get(path)
      .query({ limit, ...(cursor ? { cursor } : {}) })
      .set('Authorization', auth);
    expect(res.status).toBe(200);
    sizes.push(res.body.items.length);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return { items, sizes };
}

describe('events lists', () => {
  let eventId: string;
  const pid = new Map<string, string>();

  it('when 23 events exist, then GET /events?limit=1 returns one event and a cursor, and walking pages of 10 returns each event once', async () => {
    for (let i = 0; i < 23; i++) {
      const res = await request(app)
        .post('/events')
        .set('Authorization', STAFF)
        .send(eventBody(`Brokerage day ${i}`));
      expect(res.status).toBe(201);
      eventId = res.body.id;
    }
    const one = await request(app).get('/events?limit=1').set('Authorization', STAFF);
    expect(one.body.items).toHaveLength(1);
    expect(one.body.nextCursor).toEqual(expect.any(String));
    const { items, sizes } = await walk('/events', STAFF, 10);
    expect(sizes).toEqual([10, 10, 3]);
    expect(new Set(items.map((e) => e.id)).size).toBe(23);
    expect((await request(app).get('/events').set('Authorization', STAFF)).body.items).toHaveLength(20); // default page
  });

  it.each([
    ['limit=0', 'query.limit'],
    ['limit=101', 'query.limit'],
    ['limit=ten', 'query.limit'],
    ['cursor=not-ours', 'query.cursor'],
    ['page=2', 'query'],
  ])('when a list is asked with %s, then 400 names %s', async (qs, field) => {
    const res = await request(app).get(`/events?${qs}`).set('Authorization', STAFF);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('when 14 participants and their requests are listed, then participants and requests come in bounded pages, each once', async () => {
    for (const org of [...Array.from({ length: 8 }, (_, i) => `co-${i}`), ...Array.from({ length: 4 }, (_, i) => `rc-${i}`), 'inv-0', 'inv-1']) {
      const res = await request(app)
        .post(`/events/${eventId}/participants`)
        .set('Authorization', STAFF)
        .send({ organisationId: org, vip: org === 'rc-1', availability: { am: [0, 1] } });
      expect(res.status).toBe(201);
      pid.set(org, res.body.id);
    }
    const participants = await walk(`/events/${eventId}/participants`, STAFF, 5);
    expect(participants.sizes).toEqual([5, 5, 4]);
    expect(new Set(participants.items.map((p) => p.id)).size).toBe(14);
    for (let i = 0; i < 8; i++) {
      for (const to of ['rc-0', 'rc-1', 'inv-0']) {
        expect(
          (
            await request(app)
              .post(`/events/${eventId}/requests`)
              .set('Authorization', orgToken(`co-${i}`))
              .send({ to: pid.get(to) })
          ).status,
        ).toBe(201);
      }
    }
    const all = await walk(`/events/${eventId}/requests`, STAFF, 7);
    expect(all.items).toHaveLength(24);
    expect(Math.max(...all.sizes)).toBe(7);
    const received = await walk(`/events/${eventId}/requests`, orgToken('rc-0'), 3);
    expect(received.items).toHaveLength(8);
    expect((await request(app).get(`/events/${eventId}/requests?limit=500`).set('Authorization', STAFF)).status).toBe(400);
  });

  it('when a participant lists participants, then it sees others without availability, VIP flag, visibility or status, and itself in full', async () => {
    await request(app)
      .patch(`/events/${eventId}/participants/${pid.get('rc-3')}`)
      .set('Authorization', STAFF)
      .send({ visible: false })
      .expect(200);
    const { items } = await walk(`/events/${eventId}/participants`, orgToken('co-0'), 4);
    const me = items.find((p) => p.id === pid.get('co-0')) as Record<string, unknown>;
    expect(me).toMatchObject({ availability: { am: [0, 1] }, vip: false, visible: true, status: 'validated' });
    const others = items.filter((p) => p.id !== pid.get('co-0')) as Record<string, unknown>[];
    // companies may meet research centres and investors, not other companies; rc-3 is hidden
    expect(others.map((p) => p.organisationId).sort()).toEqual(['inv-0', 'inv-1', 'rc-0', 'rc-1', 'rc-2']);
    for (const p of others) {
      expect(Object.keys(p).sort()).toEqual(['eventId', 'id', 'organisation', 'organisationId', 'type']);
    }
  });

  it('when a participant reads its suggestions, then the list has the page shape and a bounded limit', async () => {
    const res = await request(app)
      .get(`/events/${eventId}/participants/${pid.get('co-0')}/suggestions?limit=5`)
      .set('Authorization', orgToken('co-0'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], nextCursor: null });
    expect(
      (
        await request(app)
          .get(`/events/${eventId}/participants/${pid.get('co-0')}/suggestions?limit=1000`)
          .set('Authorization', orgToken('co-0'))
      ).status,
    ).toBe(400);
  });

  it('when an event title or a request message carries a bare CR or a bidi override, then 400 names the field', async () => {
    const bad = await request(app)
      .post('/events')
      .set('Authorization', STAFF)
      .send({ ...eventBody('Day\rEND:VEVENT\rBEGIN:VEVENT'), venue: 'Hall \u202Eevil' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['body.title', 'body.venue']);
    const msg = await request(app)
      .post(`/events/${eventId}/requests`)
      .set('Authorization', orgToken('co-1'))
      .send({ to: pid.get('rc-2'), message: 'Hi\u0000' });
    expect(msg.status).toBe(400);
    expect(msg.body.error.details[0].field).toBe('body.message');
  });
});
