import { makeEnvelope, ORGANISATION_EVENT_TYPES } from '@lm/contracts';
import { uniqueName, waitFor } from '@lm/testing';
import ical from 'node-ical';
import request from 'supertest';
import {
  eventWith,
  generate,
  meetingEvents,
  orgToken,
  publish,
  STAFF,
  startHarness,
  type Harness,
  type PublishedMeeting,
  type TestEvent,
} from './events.harness';
import { organisationUpserted } from './fixtures';

/**
 * Changes that make published meetings impossible cancel them at once — over HTTP (withdrawal,
 * availability, sessions) and over Kafka (a deleted organisation) through the same use case — and
 * offer a re-plan that keeps every other published meeting. Every test builds its own event.
 */
let h: Harness;

beforeAll(async () => {
  h = await startHarness('events-cancel');
});

afterAll(async () => {
  await h?.stop();
});

/**
 * One morning of 5 slots × 4 tables: every company asks every research centre (all accepted), published.
 * By default 4 companies and 3 centres (12 requests, all placeable).
 */
async function publishedMorning(extra: { id: string }[] = [], shape = { companies: ['co-0', 'co-1', 'co-2', 'co-3'], centres: ['rc-0', 'rc-1', 'rc-2'] }) {
  const { companies, centres } = shape;
  const ev = await eventWith(h, [...companies, ...centres].map((id) => ({ id })).concat(extra), {
    sessions: [{ id: 'am', name: 'Morning', date: '2026-06-10', start: '09:00', end: '10:40', slotMinutes: 20, breakSlots: [], tables: 4 }],
    caps: {},
  });
  for (const co of [...companies, ...extra.map((e) => e.id)]) {
    for (const rc of centres) {
      const r = await request(h.app)
        .post(`/events/${ev.id}/requests`)
        .set('Authorization', orgToken(co))
        .send({ to: ev.pid.get(rc), priority: 'must_meet' });
      expect(r.status).toBe(201);
      await request(h.app).post(`/events/${ev.id}/requests/${r.body.id}/accept`).set('Authorization', orgToken(rc)).expect(200);
    }
  }
  await generate(h, ev, '?seed=5');
  const meetings = await publish(h, ev);
  await waitFor(() => meetingEvents(h, ev, 'meeting.scheduled').length === meetings.length, { description: 'meeting.scheduled for every published meeting' });
  return { ev, meetings };
}

const cancelledIds = (ev: TestEvent, reason: string) =>
  meetingEvents(h, ev, 'meeting.cancelled')
    .filter((e) => (e.data as { reason: string }).reason === reason)
    .map((e) => (e.data as { meetingId: string }).meetingId)
    .sort();
const ids = (ms: PublishedMeeting[]) => ms.map((m) => m.id).sort();
const schedule = async (ev: TestEvent) => (await request(h.app).get(`/events/${ev.id}/schedule`).set('Authorization', STAFF)).body;

// Each test builds and publishes its own event through the API on engines shared with other test files.
jest.setTimeout(180_000);

describe('immediate cancellations', () => {
  it('when staff withdraw a participant, then its published meetings are cancelled at once (meeting.cancelled participant_withdrawn), its counterparts’ agendas list them cancelled and a re-plan is offered', async () => {
    const { ev, meetings } = await publishedMorning();
    const leaving = ev.pid.get('rc-1')!;
    const mine = meetings.filter((m) => [m.a, m.b].includes(leaving));
    expect(mine.length).toBeGreaterThan(0);
    expect((await request(h.app).post(`/events/${ev.id}/participants/${leaving}:withdraw`).set('Authorization', orgToken('co-0'))).status).toBe(403);

    const res = await request(h.app).post(`/events/${ev.id}/participants/${leaving}:withdraw`).set('Authorization', STAFF);
    expect(res.status).toBe(200);
    expect(res.body.participant.status).toBe('withdrawn');
    expect(ids(res.body.cancelledMeetings)).toEqual(ids(mine));
    expect(res.body.replan).toMatchObject({ generate: { method: 'POST', path: `/events/${ev.id}/schedule:generate?replan=keep` } });
    expect(res.body.replan.freed.map((f: { meetingId: string }) => f.meetingId).sort()).toEqual(ids(mine));

    await waitFor(() => cancelledIds(ev, 'participant_withdrawn').length === mine.length, { description: 'meeting.cancelled for the withdrawn participant' });
    expect(cancelledIds(ev, 'participant_withdrawn')).toEqual(ids(mine));
    const doc = await schedule(ev);
    expect(ids(doc.published.meetings)).toEqual(ids(meetings.filter((m) => !mine.includes(m))));
    expect(doc.replanOffer.freed).toHaveLength(mine.length);

    // A counterpart sees the meeting cancelled, in JSON and in its calendar (a higher SEQUENCE, so calendars apply it).
    const counterpart = mine[0]!.a === leaving ? mine[0]!.b : mine[0]!.a;
    const agenda = await request(h.app)
      .get(`/events/${ev.id}/participants/${counterpart}/agenda`)
      .set('Authorization', orgToken(ev.orgOf(counterpart)));
    expect(agenda.body.items.find((i: { meetingId: string }) => i.meetingId === mine[0]!.id)).toMatchObject({ status: 'cancelled' });
    const ics = await request(h.app)
      .get(`/events/${ev.id}/participants/${counterpart}/agenda?format=ics`)
      .set('Authorization', orgToken(ev.orgOf(counterpart)));
    const vevent = (Object.values(ical.sync.parseICS(ics.text)) as ical.VEvent[]).find((c) => c.uid === `${mine[0]!.id}@events.lombardy-match`)!;
    expect(vevent.status).toBe('CANCELLED');
    // The withdrawn participant no longer acts in the event.
    expect((await request(h.app).get(`/events/${ev.id}/participants/${leaving}/agenda`).set('Authorization', orgToken('rc-1'))).status).toBe(403);

    // Repeating the withdrawal changes nothing and sends nothing more.
    const again = await request(h.app).post(`/events/${ev.id}/participants/${leaving}:withdraw`).set('Authorization', STAFF);
    expect(again.body.cancelledMeetings).toEqual([]);
    await h.relay.flush();
    expect(cancelledIds(ev, 'participant_withdrawn')).toHaveLength(mine.length);
  });

  it('when staff take the re-plan offer, then the draft keeps every other published meeting where it was, fills the freed place, and publishing it cancels or moves nothing', async () => {
    // Six companies ask one centre with five slots: exactly one request is left out, and its company has no
    // other meeting, so whichever company leaves, the place it frees can host the left-out request.
    const companies = ['co-0', 'co-1', 'co-2', 'co-3', 'co-4', 'co-5'];
    const { ev, meetings } = await publishedMorning([], { companies, centres: ['rc-0'] });
    expect(meetings).toHaveLength(5);
    const met = new Set(meetings.flatMap((m) => [m.a, m.b]));
    const leftOut = companies.map((co) => ev.pid.get(co)!).find((p) => !met.has(p))!;
    const freed = meetings[0]!;
    const leaving = freed.a === ev.pid.get('rc-0') ? freed.b : freed.a;
    await request(h.app).post(`/events/${ev.id}/participants/${leaving}:withdraw`).set('Authorization', STAFF).expect(200);
    const kept = meetings.filter((m) => m !== freed);
    const before = await schedule(ev);

    const { body, etag } = await generate(h, ev, before.replanOffer.generate.path.split('schedule:generate')[1]);
    for (const m of kept) expect(body.meetings).toContainEqual(expect.objectContaining({ id: m.id, sessionId: m.sessionId, slot: m.slot, table: m.table }));
    expect(body.meetings.some((m: { a: string; b: string }) => [m.a, m.b].includes(leaving))).toBe(false);
    const added = body.meetings.filter((m: { id: string }) => !kept.some((k) => k.id === m.id));
    expect(added).toEqual([expect.objectContaining({ sessionId: freed.sessionId, slot: freed.slot })]);
    expect([added[0].a, added[0].b]).toContain(leftOut);
    expect((await schedule(ev)).replanOffer).toBeNull();

    const sent = meetingEvents(h, ev).length;
    await request(h.app).post(`/events/${ev.id}/schedule:publish`).set('Authorization', STAFF).set('If-Match', etag).expect(200);
    await waitFor(() => meetingEvents(h, ev).length >= sent + added.length, { description: 'meeting.scheduled for the re-planned place' });
    await h.relay.flush();
    const after = meetingEvents(h, ev).slice(sent);
    expect(after.map((e) => e.type)).toEqual(['meeting.scheduled']);
  });

  it('when a participant marks a slot unavailable, then only its meeting in that slot is cancelled (participant_unavailable) and its other meetings stay', async () => {
    const { ev, meetings } = await publishedMorning();
    const me = ev.pid.get('co-2')!;
    const mine = meetings.filter((m) => [m.a, m.b].includes(me));
    expect(mine.length).toBeGreaterThan(1);
    const dropped = mine[0]!;
    const slots = [0, 1, 2, 3, 4].filter((s) => s !== dropped.slot);
    const res = await request(h.app)
      .patch(`/events/${ev.id}/participants/${me}`)
      .set('Authorization', orgToken('co-2'))
      .send({ availability: { am: slots } });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('validated');
    await waitFor(() => cancelledIds(ev, 'participant_unavailable').length === 1, { description: 'meeting.cancelled for the unavailable slot' });
    expect(cancelledIds(ev, 'participant_unavailable')).toEqual([dropped.id]);
    const published = (await schedule(ev)).published.meetings as PublishedMeeting[];
    expect(ids(published)).toEqual(ids(meetings.filter((m) => m.id !== dropped.id)));
    expect((await schedule(ev)).replanOffer.freed).toEqual([expect.objectContaining({ meetingId: dropped.id, slot: dropped.slot })]);
  });

  it('when staff turn a slot into a break, then the meetings published in it are cancelled at once (slot_unavailable)', async () => {
    const { ev, meetings } = await publishedMorning();
    const inSlot = meetings.filter((m) => m.slot === 2);
    expect(inSlot.length).toBeGreaterThan(0);
    const current = await request(h.app).get(`/events/${ev.id}`).set('Authorization', STAFF);
    const sessions = current.body.sessions.map((s: { breakSlots: number[] }) => ({ ...s, breakSlots: [2] }));
    const res = await request(h.app).patch(`/events/${ev.id}`).set('Authorization', STAFF).set('If-Match', String(current.headers.etag)).send({ sessions });
    expect(res.status).toBe(200);
    await waitFor(() => cancelledIds(ev, 'slot_unavailable').length === inSlot.length, { description: 'meeting.cancelled for the slot turned into a break' });
    expect(cancelledIds(ev, 'slot_unavailable')).toEqual(ids(inSlot));
    expect(((await schedule(ev)).published.meetings as PublishedMeeting[]).every((m) => m.slot !== 2)).toBe(true);
  });

  it('when profiles deletes an organisation (organisation.deleted on Kafka), then it is withdrawn from the event and its meetings are cancelled at once (organisation_deleted)', async () => {
    const orgId = uniqueName('co-deleted');
    await h.producer.publish(h.topics.orgs, [organisationUpserted(orgId, 'company', 'Soon Gone')]);
    await waitFor(async () => (await h.repos.organisations.get(orgId))?.organisation, { description: 'snapshot of the new organisation' });
    const { ev, meetings } = await publishedMorning([{ id: orgId }]);
    const gone = ev.pid.get(orgId)!;
    const theirs = meetings.filter((m) => [m.a, m.b].includes(gone));
    expect(theirs.length).toBeGreaterThan(0);

    await h.producer.publish(h.topics.orgs, [
      makeEnvelope({
        type: ORGANISATION_EVENT_TYPES.deleted,
        key: orgId,
        source: 'profiles',
        data: { id: orgId, version: 2, deletedAt: new Date().toISOString() },
      }),
    ]);
    await waitFor(() => cancelledIds(ev, 'organisation_deleted').length === theirs.length, {
      description: 'meeting.cancelled for the deleted organisation',
      timeoutMs: 30_000,
    });
    expect(cancelledIds(ev, 'organisation_deleted')).toEqual(ids(theirs));
    expect((await h.repos.participants.get(gone))?.status).toBe('withdrawn');
    expect((await schedule(ev)).replanOffer.freed).toHaveLength(theirs.length);
  });
});
