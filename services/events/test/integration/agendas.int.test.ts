import { waitFor } from '@lm/testing';
import request from 'supertest';
import type { ScheduleDoc } from '../../src/domain/schedule.schemas';
import { orgToken, publishedDay, STAFF, startHarness, type Harness, type PublishedMeeting, type TestEvent } from './events.harness';

/**
 * Agendas are stored per participant (one small document each) and follow the published
 * schedule; a schedule change whose agendas were not all written (a crash, an engine outage)
 * leaves them flagged behind, and reads then answer from the schedule and rebuild them.
 */
let h: Harness;

beforeAll(async () => {
  h = await startHarness('events-agendas');
});

afterAll(async () => {
  await h?.stop();
});

jest.setTimeout(180_000);

const mineOf = (meetings: PublishedMeeting[], who: string) =>
  meetings
    .filter((m) => m.a === who || m.b === who)
    .map((m) => m.id)
    .sort();

async function agendaIds(ev: TestEvent, who: string, token = orgToken(ev.orgOf(who))): Promise<{ id: string; status: string; type: string }[]> {
  const res = await request(h.app).get(`/events/${ev.id}/participants/${who}/agenda`).set('Authorization', token);
  expect(res.status).toBe(200);
  return (res.body.items as { meetingId: string; status: string; counterpart: { type: string } }[])
    .map((i) => ({ id: i.meetingId, status: i.status, type: i.counterpart.type }))
    .sort((x, y) => x.id.localeCompare(y.id));
}

describe('stored agendas', () => {
  it('when a schedule is published, then every participant has a stored agenda listing exactly its published meetings, and the agenda read answers with them', async () => {
    const { ev, meetings } = await publishedDay(h);
    for (const who of ev.pid.values()) {
      const stored = await h.repos.agendas.get(ev.id, who);
      expect(stored.current).toBe(true);
      expect(stored.agenda?.entries.map((e) => e.meetingId).sort()).toEqual(mineOf(meetings, who));
      expect((await agendaIds(ev, who)).map((i) => i.id)).toEqual(mineOf(meetings, who));
    }
  });

  it('when a change of the published schedule is interrupted before its agendas are written, then reads answer from the schedule (never the stale agenda) and the agendas are rebuilt', async () => {
    const { ev, meetings } = await publishedDay(h);
    const gone = meetings[0]!;
    const doc = (await h.repos.schedules.get(ev.id)) as ScheduleDoc;
    const published = { ...doc.published!, meetings: doc.published!.meetings.filter((m) => m.id !== gone.id), number: doc.published!.number + 1 };
    const interrupted = async () => {
      throw new Error('the process died before writing the agendas');
    };
    const saved = await h.repos.schedules.updatePublished(ev.id, doc.version, { published }, [], { build: interrupted, touched: [gone.a, gone.b] });
    expect(saved?.published?.meetings).toHaveLength(meetings.length - 1);
    const before = await h.repos.agendas.get(ev.id, gone.a);
    expect(before.current).toBe(false);
    expect(before.agenda?.entries.map((e) => e.meetingId)).toContain(gone.id);

    expect((await agendaIds(ev, gone.a)).map((i) => i.id)).not.toContain(gone.id);
    expect((await agendaIds(ev, gone.b, STAFF)).map((i) => i.id)).not.toContain(gone.id);
    await waitFor(async () => (await h.repos.agendas.get(ev.id, gone.a)).current, { description: 'agendas rebuilt after the read' });
    for (const who of ev.pid.values())
      expect((await h.repos.agendas.get(ev.id, who)).agenda?.entries.map((e) => e.meetingId).sort()).toEqual(mineOf(published.meetings, who));
  });

  it('when staff change a participant’s type after publishing, then its counterparts’ agendas show the new type', async () => {
    const { ev, meetings } = await publishedDay(h);
    const m = meetings[0]!;
    const res = await request(h.app).patch(`/events/${ev.id}/participants/${m.b}`).set('Authorization', STAFF).send({ type: 'investor' });
    expect(res.status).toBe(200);
    const items = await agendaIds(ev, m.a);
    expect(items.find((i) => i.id === m.id)?.type).toBe('investor');
  });
});
