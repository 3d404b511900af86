import { waitFor } from '@lm/testing';
import ical from 'node-ical';
import request from 'supertest';
import {
  DAY,
  eventBody,
  eventWith,
  generate,
  LATE_ORG,
  meetingEvents,
  ORGS,
  orgToken,
  publish,
  publishedDay,
  requestsAndDecisions,
  STAFF,
  startHarness,
  type Harness,
} from './events.harness';

/** The events service on FerretDB + Kafka; every test builds its own event (see events.harness.ts). */
let h: Harness;

beforeAll(async () => {
  h = await startHarness('events-int');
});

afterAll(async () => {
  await h?.stop();
});

const orgs = (...ids: string[]) => ids.map((id) => ({ id }));

// Each test builds its own event through the API on engines shared with other test files.
jest.setTimeout(180_000);

describe('events service on FerretDB + Kafka', () => {
  it('when staff create an event and register 40 participants from profile snapshots, then they are validated; an unknown organisation is refused', async () => {
    expect((await request(h.app).post('/events').set('Authorization', orgToken('co-0')).send(eventBody)).status).toBe(403);
    const ev = await eventWith(h, ORGS);
    expect(ev.pid.size).toBe(40);
    const all = await request(h.app).get(`/events/${ev.id}/participants?limit=100`).set('Authorization', STAFF);
    expect(all.body.items.every((p: { status: string }) => p.status === 'validated')).toBe(true);
    // The newest snapshot wins over a stale one that arrived later.
    expect(all.body.items.find((p: { organisationId: string }) => p.organisationId === 'rc-0').organisation.name).toBe('Renamed RC');
    const unknown = await request(h.app).post(`/events/${ev.id}/participants`).set('Authorization', STAFF).send({ organisationId: 'nobody' });
    expect(unknown.status).toBe(422);
    expect((await request(h.app).post(`/events/${ev.id}/participants`).set('Authorization', STAFF).send({ organisationId: 'co-0' })).status).toBe(409);
  });

  it('when a participant browses, then it sees only participants it may meet (investors do not see other investors)', async () => {
    const ev = await eventWith(h, orgs('co-0', 'co-1', 'rc-1', 'inv-1', 'inv-2'));
    const res = await request(h.app).get(`/events/${ev.id}/participants?limit=100`).set('Authorization', orgToken('inv-1'));
    expect(res.status).toBe(200);
    const types = new Set(res.body.items.filter((p: { organisationId: string }) => p.organisationId !== 'inv-1').map((p: { type: string }) => p.type));
    expect([...types]).toEqual(['company']);
    expect((await request(h.app).get(`/events/${ev.id}/participants`).set('Authorization', orgToken('stranger'))).status).toBe(403);
  });

  it('when companies send requests and receivers accept or decline, then only receivers may decide, rules hold and everyone sees only its own requests', async () => {
    const ev = await eventWith(h, orgs('co-0', 'co-1', 'rc-0', 'rc-1', 'inv-0', 'inv-1'));
    // an investor may not request an investor (rules)
    expect(
      (
        await request(h.app)
          .post(`/events/${ev.id}/requests`)
          .set('Authorization', orgToken('inv-0'))
          .send({ to: ev.pid.get('inv-1') })
      ).status,
    ).toBe(400);
    // (the helper below sends co-1 → rc-1 and inv-1; this one is extra)
    const sent = await request(h.app)
      .post(`/events/${ev.id}/requests`)
      .set('Authorization', orgToken('co-1'))
      .send({ to: ev.pid.get('rc-0') });
    expect(sent.body.status).toBe('pending');
    // someone else cannot accept a request addressed to rc-0
    expect((await request(h.app).post(`/events/${ev.id}/requests/${sent.body.id}/accept`).set('Authorization', orgToken('rc-1'))).status).toBe(403);
    await requestsAndDecisions(h, ev);
    const mine = await request(h.app).get(`/events/${ev.id}/requests`).set('Authorization', orgToken('co-0'));
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items.every((r: { from: string; to: string }) => r.from === ev.pid.get('co-0') || r.to === ev.pid.get('co-0'))).toBe(true);
  });

  it('when the receiver of a request has withdrawn, then it may no longer decide on it (403), while staff still may', async () => {
    const ev = await eventWith(h, orgs('co-0', 'rc-0'));
    const sent = await request(h.app)
      .post(`/events/${ev.id}/requests`)
      .set('Authorization', orgToken('co-0'))
      .send({ to: ev.pid.get('rc-0') });
    expect(sent.status).toBe(201);
    await request(h.app)
      .post(`/events/${ev.id}/participants/${ev.pid.get('rc-0')}:withdraw`)
      .set('Authorization', STAFF)
      .expect(200);
    expect((await request(h.app).post(`/events/${ev.id}/requests/${sent.body.id}/accept`).set('Authorization', orgToken('rc-0'))).status).toBe(403);
    expect((await request(h.app).post(`/events/${ev.id}/requests/${sent.body.id}/decline`).set('Authorization', STAFF)).status).toBe(200);
  });

  it('when staff look at suggestions for a participant, then the matcher explanation is shown; other participants get 403', async () => {
    const ev = await eventWith(h, orgs('co-0', 'co-1', 'rc-5', 'rc-6'));
    const res = await request(h.app)
      .get(`/events/${ev.id}/participants/${ev.pid.get('co-0')}/suggestions`)
      .set('Authorization', STAFF);
    expect(res.status).toBe(200);
    expect(res.body.items[0]).toMatchObject({ participantId: ev.pid.get('rc-5'), score: 0.9, explanation: { summary: expect.stringContaining('oncology') } });
    expect(
      (
        await request(h.app)
          .get(`/events/${ev.id}/participants/${ev.pid.get('co-0')}/suggestions`)
          .set('Authorization', orgToken('co-1'))
      ).status,
    ).toBe(403);
  });

  it('when staff generate the schedule, then the draft respects declines and the report gives objective, bound (and which bound) and reasons; participants may not generate', async () => {
    const ev = await eventWith(h, DAY);
    const { sent, declined } = await requestsAndDecisions(h, ev);
    expect((await request(h.app).post(`/events/${ev.id}/schedule:generate`).set('Authorization', orgToken('co-0'))).status).toBe(403);
    const { body } = await generate(h, ev, '?seed=3');
    const { report, meetings } = body;
    expect(report.objective).toBeGreaterThan(0);
    expect(report.objective).toBeLessThanOrEqual(report.upperBound);
    expect(report.bound.method).toMatch(/^(lp|combinatorial)$/);
    expect(report.upperBound).toBeLessThanOrEqual(report.bound.combinatorial);
    expect(report.objective).toBeGreaterThanOrEqual(report.greedyObjective);
    expect(report.unscheduledByReason.declined).toBe(declined.length);
    expect(report.meetingsPerParticipant.max).toBeLessThanOrEqual(6);
    for (const m of meetings) expect(declined).not.toContain([m.a, m.b].sort().join('|'));
    // Room for every accepted request (8 companies × 2, caps 4 per session / 6 in all).
    expect(report.unscheduled.filter((u: { reason: string }) => u.reason !== 'declined')).toEqual([]);
    expect(meetings.length).toBeGreaterThanOrEqual(sent - declined.length);
  });

  it('when two organisers edit the draft, then the stale edit gets 412 and an infeasible move gets 409', async () => {
    const ev = await eventWith(h, orgs('co-0', 'co-1', 'co-2', 'rc-0', 'rc-1', 'rc-2', 'inv-0', 'inv-1', 'inv-2'));
    await requestsAndDecisions(h, ev);
    await generate(h, ev);
    const draft = await request(h.app).get(`/events/${ev.id}/schedule`).set('Authorization', STAFF);
    const etag = String(draft.headers.etag);
    const [m1, m2] = draft.body.draft.meetings;
    expect((await request(h.app).get(`/events/${ev.id}/schedule`).set('Authorization', orgToken('co-0'))).status).toBe(403);
    const bad = await request(h.app)
      .patch(`/events/${ev.id}/schedule`)
      .set('Authorization', STAFF)
      .set('If-Match', etag)
      .send({ edits: [{ op: 'move', meetingId: m1.id, sessionId: m1.sessionId, slot: m1.slot, table: 99 }] });
    expect(bad.status).toBe(409);
    const ok = await request(h.app)
      .patch(`/events/${ev.id}/schedule`)
      .set('Authorization', STAFF)
      .set('If-Match', etag)
      .send({ edits: [{ op: 'remove', meetingId: m1.id }] });
    expect(ok.status).toBe(200);
    expect(ok.body.draft.meetings).toHaveLength(draft.body.draft.meetings.length - 1);
    const stale = await request(h.app)
      .patch(`/events/${ev.id}/schedule`)
      .set('Authorization', STAFF)
      .set('If-Match', etag)
      .send({ edits: [{ op: 'remove', meetingId: m2.id }] });
    expect(stale.status).toBe(412);
  });

  it('when staff publish, then every meeting goes out as meeting.scheduled on Kafka keyed by the event id, after the requests and declines', async () => {
    const ev = await eventWith(h, DAY);
    const { sent, declined } = await requestsAndDecisions(h, ev);
    await generate(h, ev);
    const meetings = await publish(h, ev);
    await waitFor(() => meetingEvents(h, ev, 'meeting.scheduled').length === meetings.length, { description: 'scheduled events' });
    expect(new Set(meetingEvents(h, ev, 'meeting.scheduled').map((e) => (e.data as { meetingId: string }).meetingId))).toEqual(
      new Set(meetings.map((m) => m.id)),
    );
    expect(meetingEvents(h, ev, 'meeting.requested')).toHaveLength(sent);
    expect(meetingEvents(h, ev, 'meeting.declined')).toHaveLength(declined.length);
  });

  it('when a late participant registers and the schedule is re-run, then published meetings keep their slot and table and nothing is cancelled or rescheduled', async () => {
    const { ev, meetings: first } = await publishedDay(h);
    const late = await request(h.app).post(`/events/${ev.id}/participants`).set('Authorization', STAFF).send({ organisationId: LATE_ORG.id });
    const r = await request(h.app)
      .post(`/events/${ev.id}/requests`)
      .set('Authorization', orgToken(LATE_ORG.id))
      .send({ to: ev.pid.get('rc-3'), priority: 'must_meet' });
    await request(h.app).post(`/events/${ev.id}/requests/${r.body.id}/accept`).set('Authorization', orgToken('rc-3')).expect(200);
    const gen = await generate(h, ev);
    for (const m of first)
      expect(gen.body.meetings).toContainEqual(expect.objectContaining({ id: m.id, sessionId: m.sessionId, slot: m.slot, table: m.table }));
    expect(gen.body.meetings.some((m: { a: string; b: string }) => [m.a, m.b].includes(late.body.id))).toBe(true);
    const before = meetingEvents(h, ev).length;
    await request(h.app).post(`/events/${ev.id}/schedule:publish`).set('Authorization', STAFF).set('If-Match', gen.etag).expect(200);
    await waitFor(() => meetingEvents(h, ev).length > before, { description: 'second publish events' });
    await h.relay.flush();
    expect(meetingEvents(h, ev).filter((e) => e.type === 'meeting.cancelled' || e.type === 'meeting.rescheduled')).toEqual([]);
  });

  it('when a participant downloads its agenda as .ics, then a calendar parser reads the right local times and table numbers; others get 403', async () => {
    const { ev, meetings } = await publishedDay(h);
    const me = meetings[0]!.a;
    const who = orgToken(ev.orgOf(me));
    const json = await request(h.app).get(`/events/${ev.id}/participants/${me}/agenda`).set('Authorization', who);
    expect(json.status).toBe(200);
    const item = json.body.items[0];
    const res = await request(h.app).get(`/events/${ev.id}/participants/${me}/agenda?format=ics`).set('Authorization', who);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/calendar');
    const parsed = Object.values(ical.sync.parseICS(res.text)).filter((c) => c.type === 'VEVENT') as ical.VEvent[];
    expect(parsed).toHaveLength(json.body.items.length);
    const vevent = parsed.find((e) => e.uid === `${item.meetingId}@events.lombardy-match`)!;
    // June in Rome is UTC+2: the wall-clock start must map to that instant.
    const [hh, mi] = item.start.split(':').map(Number);
    expect(new Date(vevent.start).toISOString()).toBe(new Date(Date.UTC(2026, 5, 10, hh - 2, mi)).toISOString());
    expect(new Date(vevent.start).toISOString()).toBe(item.startsAt);
    expect(String(vevent.location)).toContain(`Table ${item.table}`);
    const csv = await request(h.app).get(`/events/${ev.id}/participants/${me}/agenda?format=csv`).set('Authorization', who);
    expect(csv.text.split('\r\n')[0]).toBe(
      '"date","start","end","time_zone","session","table","counterpart","counterpart_type","counterpart_organisation_id","meeting_id","status"',
    );
    const outsider = [...ev.pid.keys()].find((o) => ev.pid.get(o) !== me)!;
    expect((await request(h.app).get(`/events/${ev.id}/participants/${me}/agenda`).set('Authorization', orgToken(outsider))).status).toBe(403);
  });

  it('when check-ins, no-shows and feedback are recorded, then analytics show meetings held, no-show rate and cooperation rate', async () => {
    const { ev, meetings } = await publishedDay(h);
    const [m1, m2] = meetings;
    for (const p of [m1!.a, m1!.b])
      await request(h.app).post(`/events/${ev.id}/meetings/${m1!.id}/check-in`).set('Authorization', STAFF).send({ participantId: p }).expect(200);
    await request(h.app).post(`/events/${ev.id}/meetings/${m2!.id}/no-show`).set('Authorization', STAFF).send({ participantId: m2!.b }).expect(200);
    expect(
      (
        await request(h.app)
          .post(`/events/${ev.id}/meetings/${m1!.id}/check-in`)
          .set('Authorization', orgToken(ev.orgOf(m1!.a)))
          .send({ participantId: m1!.a })
      ).status,
    ).toBe(403);
    await request(h.app)
      .put(`/events/${ev.id}/meetings/${m1!.id}/feedback`)
      .set('Authorization', orgToken(ev.orgOf(m1!.a)))
      .send({ outcome: 'cooperation_possible' })
      .expect(200);
    await request(h.app)
      .put(`/events/${ev.id}/meetings/${m1!.id}/feedback`)
      .set('Authorization', orgToken(ev.orgOf(m1!.b)))
      .send({ outcome: 'informative_no_cooperation' })
      .expect(200);
    await request(h.app)
      .put(`/events/${ev.id}/meetings/${m1!.id}/feedback`)
      .set('Authorization', orgToken(ev.orgOf(m1!.a)))
      .send({ followUp: 'in_negotiation' })
      .expect(200);
    const outsider = [...ev.pid.keys()].find((o) => ![m1!.a, m1!.b].includes(ev.pid.get(o)!))!;
    expect(
      (
        await request(h.app)
          .put(`/events/${ev.id}/meetings/${m1!.id}/feedback`)
          .set('Authorization', orgToken(outsider))
          .send({ outcome: 'cooperation_possible' })
      ).status,
    ).toBe(403);
    const a = await request(h.app).get(`/events/${ev.id}/analytics`).set('Authorization', STAFF);
    expect(a.body).toMatchObject({ meetingsHeld: 1, noShowRate: 0.333, cooperationRate: 0.5, feedback: { given: 2, followUps: { in_negotiation: 1 } } });
    expect((await request(h.app).get(`/events/${ev.id}/analytics`).set('Authorization', orgToken('co-0'))).status).toBe(403);
    await waitFor(() => ['meeting.checked_in', 'meeting.no_show', 'meeting.feedback_given'].every((t) => meetingEvents(h, ev, t).length > 0), {
      description: 'attendance and feedback events',
    });
  });

  it('when staff cancel the event, then every published meeting goes out as meeting.cancelled, agendas list them cancelled and the event accepts no more changes', async () => {
    const { ev, meetings: live } = await publishedDay(h);
    const etag = String((await request(h.app).get(`/events/${ev.id}`).set('Authorization', STAFF)).headers.etag);
    expect((await request(h.app).post(`/events/${ev.id}:cancel`).set('Authorization', orgToken('co-0')).set('If-Match', etag).send({})).status).toBe(403);
    expect((await request(h.app).post(`/events/${ev.id}:cancel`).set('Authorization', STAFF).send({})).status).toBe(428);
    const res = await request(h.app).post(`/events/${ev.id}:cancel`).set('Authorization', STAFF).set('If-Match', etag).send({ reason: 'Venue unavailable' });
    const cancelledTag = String(res.headers.etag);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', cancellationReason: 'Venue unavailable', cancelledAt: expect.any(String) });
    const cancelled = () => meetingEvents(h, ev, 'meeting.cancelled').filter((e) => (e.data as { reason: string }).reason === 'event_cancelled');
    await waitFor(() => cancelled().length === live.length, { description: 'meeting.cancelled for every published meeting' });
    expect(new Set(cancelled().map((e) => (e.data as { meetingId: string }).meetingId))).toEqual(new Set(live.map((m) => m.id)));
    // The agenda of a participant of the first meeting lists its meetings as cancelled, in JSON and in the calendar.
    const who = live[0]!.a;
    const agenda = await request(h.app)
      .get(`/events/${ev.id}/participants/${who}/agenda`)
      .set('Authorization', orgToken(ev.orgOf(who)));
    expect(agenda.body.eventStatus).toBe('cancelled');
    expect(agenda.body.items.length).toBeGreaterThan(0);
    expect(agenda.body.items.every((i: { status: string }) => i.status === 'cancelled')).toBe(true);
    const ics = await request(h.app)
      .get(`/events/${ev.id}/participants/${who}/agenda?format=ics`)
      .set('Authorization', orgToken(ev.orgOf(who)));
    const vevents = Object.values(ical.sync.parseICS(ics.text)).filter((c) => c.type === 'VEVENT') as ical.VEvent[];
    expect(vevents.map((v) => v.status)).toEqual(agenda.body.items.map(() => 'CANCELLED'));
    // Read-only from now on: no re-publishing, no new requests, no edits; a repeated cancel changes nothing.
    expect((await request(h.app).post(`/events/${ev.id}/schedule:generate`).set('Authorization', STAFF)).status).toBe(409);
    expect(
      (
        await request(h.app)
          .post(`/events/${ev.id}/requests`)
          .set('Authorization', orgToken('co-3'))
          .send({ to: ev.pid.get('rc-6') })
      ).status,
    ).toBe(409);
    expect((await request(h.app).patch(`/events/${ev.id}`).set('Authorization', STAFF).set('If-Match', cancelledTag).send({ title: 'Back on' })).status).toBe(
      409,
    );
    const again = await request(h.app).post(`/events/${ev.id}:cancel`).set('Authorization', STAFF).set('If-Match', cancelledTag).send({});
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(res.body.version);
    await h.relay.flush();
    expect(cancelled()).toHaveLength(live.length);
  });

  it('when the documents are asked, then /asyncapi.json lists every meeting event on the configured topic and /openapi.json the schedule routes', async () => {
    const res = await request(h.app).get('/asyncapi.json');
    expect(Object.keys(res.body.components.messages)).toHaveLength(9);
    expect(JSON.stringify(res.body)).toContain(h.topics.meetings);
    const paths = (await request(h.app).get('/openapi.json')).body.paths;
    expect(Object.keys(paths).filter((p) => p.includes(':'))).toEqual([
      '/events/{id}:cancel',
      '/events/{id}/participants/{pid}:withdraw',
      '/events/{id}/schedule:generate',
      '/events/{id}/schedule:publish',
    ]);
  });
});
