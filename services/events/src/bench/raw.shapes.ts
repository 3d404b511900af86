import { createPartitionedCollection, type PartitionedCollection } from '@lm/mongo';
import type { Connection } from 'mongoose';
import { AGENDA_PARTITIONS } from '../data/agendas.repository';
import { PARTICIPANT_PARTITIONS } from '../data/participants.repository';
import { REQUEST_PARTITIONS } from '../data/requests.repository';
import { snapshotCollections } from '../data/snapshots.repository';
import { runRaw } from './load';

type Doc = { _id: string } & Record<string, unknown>;

/**
 * Raw mongodb-driver calls of the shapes the events data layer issues, on scratch collections
 * of the bench's database laid out as the service lays out its own (participants in 32 and
 * requests in 64 hash partitions, filled to the event's size): what the engine alone costs for
 * each HTTP operation, measured in the same run, without HTTP, auth, validation or use-case
 * logic. The service's own collections are not touched.
 */
export function createRawShapes(conn: Connection) {
  const db = conn.db!;
  const col = (name: string) => db.collection<Doc>(`raw_${name}`);
  const participants = createPartitionedCollection<Doc>(conn, 'raw_participants', PARTICIPANT_PARTITIONS);
  const requests = createPartitionedCollection<Doc>(conn, 'raw_requests', REQUEST_PARTITIONS);
  const keys = createPartitionedCollection<Doc>(conn, 'raw_keys', REQUEST_PARTITIONS);
  const agendas = createPartitionedCollection<Doc>(conn, 'raw_agendas', AGENDA_PARTITIONS);
  const locks = col('locks');
  const schedule = col('schedule');
  let participantIds: string[] = [];
  let requestIds: string[] = [];
  let n = 0;
  const stamp = Date.now().toString(36);

  const participantDoc = (id: string) => ({
    _id: id,
    eventId: 'raw-event',
    organisationId: `org-${id}`,
    type: 'company',
    organisation: {
      name: `Raw ${id} S.r.l.`,
      kind: 'company',
      province: 'MI',
      s3Areas: ['health_life_sciences'],
      specialties: ['cell_therapy', 'diagnostics'],
      description: 'x'.repeat(300),
    },
    availability: {},
    vip: false,
    visible: true,
    status: 'validated',
    version: 1,
    registeredAt: new Date().toISOString(),
  });
  const requestDoc = (id: string) => ({
    _id: id,
    eventId: 'raw-event',
    from: `p-${id}`,
    to: `q-${id}`,
    fromOrganisationId: `org-p-${id}`,
    toOrganisationId: `org-q-${id}`,
    priority: 'would_like',
    status: 'pending',
    expiresAt: new Date().toISOString(),
    createdAt: new Date().toISOString(),
    version: 1,
    outbox: [],
  });
  const fill = async (c: PartitionedCollection<Doc>, ids: string[], make: (id: string) => Doc) => {
    for (const [p, part] of c.all().entries()) {
      const mine = ids.filter((id) => c.indexOf(id) === p);
      if (mine.length) await part.insertMany(mine.map(make), { ordered: false });
    }
  };
  const pick = (ids: string[]) => ids[(n++ * 7919) % ids.length]!;
  const get = (c: PartitionedCollection<Doc>, id: string) => c.of(id).findOne({ _id: id }, { projection: { outbox: 0 } });
  const scan = (c: PartitionedCollection<Doc>) =>
    Promise.all(c.all().map((part) => part.find({ eventId: 'raw-event' }, { projection: { outbox: 0 } }).toArray()));

  return {
    /** The organisation snapshots registration reads (what the profiles consumer stores). */
    async seedSnapshots(orgs: { id: string; kind: string }[]) {
      const snaps = snapshotCollections(conn);
      const docs = orgs.map((o, i) => ({
        _id: o.id,
        version: 1,
        deleted: false,
        organisation: {
          id: o.id,
          kind: o.kind,
          legalName: `Bench Org ${i} S.r.l.`,
          location: { province: 'MI' },
          s3Areas: ['health_life_sciences'],
          specialties: ['cell_therapy'],
          description: [{ lang: 'en', text: 'Bench organisation' }],
        },
      }));
      // In the service's partitioned layout, one insert per partition.
      for (const [p, col] of snaps.all().entries()) {
        const mine = docs.filter((d) => snaps.indexOf(d._id) === p);
        if (mine.length) await col.insertMany(mine, { ordered: false });
      }
      participantIds = orgs.map((_, i) => `rp${String(i).padStart(6, '0')}`);
      await fill(participants, participantIds, participantDoc);
    },

    async fillRequests(count: number) {
      requestIds = Array.from({ length: count }, (_, i) => `rr${String(i).padStart(6, '0')}`);
      await fill(requests, requestIds, requestDoc);
    },

    /** register: event and snapshot by `_id`; organisation key and participant inserted. */
    register: (n: number, c: number) =>
      runRaw('findOne {_id} ×2 + insertOne ×2', n, c, async (i) => {
        await get(participants, pick(participantIds));
        await get(participants, pick(participantIds));
        await keys.of(`k${stamp}${i}`).insertOne({ _id: `k${stamp}${i}`, target: 'x' });
        await participants.of(`reg-${stamp}-${i}`).insertOne(participantDoc(`reg-${stamp}-${i}`));
      }),
    /** send: event, sender (key + participant) and receiver by `_id`; two links, a mark, the request. */
    sendRequest: (n: number, c: number) =>
      runRaw('findOne {_id} ×4 + insertOne ×3 + upsert', n, c, async (i) => {
        for (let k = 0; k < 4; k++) await get(participants, pick(participantIds));
        await keys.of(`s${stamp}${i}`).insertOne({ _id: `s${stamp}${i}`, target: 'x' });
        await keys.of(`t${stamp}${i}`).updateOne({ _id: `t${stamp}${i}` }, { $set: { target: 'x' } }, { upsert: true });
        await locks.insertOne({ _id: `m${stamp}${i}` });
        await requests.of(`req-${stamp}-${i}`).insertOne(requestDoc(`req-${stamp}-${i}`));
      }),
    /** decide: event, request, receiver (key + participant), both parties; lock, mark, update, unlock. */
    decide: (n: number, c: number) =>
      runRaw('findOne {_id} ×6 + insertOne ×2 + update + delete', n, c, async (i) => {
        const id = pick(requestIds);
        for (let k = 0; k < 4; k++) await get(k === 1 ? requests : participants, k === 1 ? id : pick(participantIds));
        await Promise.all([get(participants, pick(participantIds)), get(participants, pick(participantIds))]);
        await locks.insertOne({ _id: `l${stamp}${i}` });
        await locks.insertOne({ _id: `d${stamp}${i}` });
        await requests.of(id).findOneAndUpdate({ _id: id }, { $set: { status: 'accepted' }, $inc: { version: 1 } } as never, { returnDocument: 'after' });
        await locks.deleteMany({ _id: { $in: [`l${stamp}${i}`] } });
      }),
    /** a staff page of 100: 8 partitions read at once, filtered, sorted by `_id`, limited. */
    page: (n: number, c: number) =>
      runRaw('find {eventId} sort {_id} limit 101 on 8 partitions', n, c, () =>
        Promise.all(
          requests
            .all()
            .slice(0, 8)
            .map((part) =>
              part
                .find({ eventId: 'raw-event' }, { projection: { outbox: 0 } })
                .sort({ _id: 1 })
                .limit(101)
                .toArray(),
            ),
        ),
      ),
    /** a participant's own page: its links (one partition, sorted), then ~5 requests by `_id`. */
    ownPage: (n: number, c: number) =>
      runRaw('find links sort limit 20 + findOne {_id} ×5', n, c, async () => {
        await keys
          .of(pick(requestIds))
          .find({ target: { $gt: '' } })
          .sort({ target: 1 })
          .limit(20)
          .toArray();
        await Promise.all(Array.from({ length: 5 }, () => get(requests, pick(requestIds))));
      }),
    /** what a schedule run reads: every participant and request of the event (every partition). */
    loadInputs: (n: number) => runRaw('find {eventId} on every partition (both)', n, 1, () => Promise.all([scan(participants), scan(requests)])),
    /** a schedule document of the published size by `_id` (without its outbox), its meetings as nested documents (the layout before session 12). */
    schedule: (n: number) =>
      runRaw('findOne {_id} schedule, meetings nested (earlier layout)', n, 1, () => schedule.findOne({ _id: 'raw-event' }, { projection: { outbox: 0 } })),
    /** the service's own schedule document of the event by `_id`, as the service stored it (read only). */
    storedSchedule: (eventId: string, n: number) =>
      runRaw('findOne {_id} of the stored schedule, as stored', n, 1, () =>
        db.collection<Doc>('schedules').findOne({ _id: eventId }, { projection: { outbox: 0 } }),
      ),
    /** agenda: the event, the participant, its agenda document and the event's "agendas behind" flag, each by `_id`, at once. */
    agenda: (n: number, c: number) =>
      runRaw('findOne {_id} ×4 at once (event, participant, agenda, flag)', n, c, () => {
        const who = pick(participantIds);
        return Promise.all([
          schedule.findOne({ _id: 'raw-event-small' }),
          get(participants, who),
          agendas.of(`raw-event|${who}`).findOne({ _id: `raw-event|${who}` }),
          col('agendas_behind').findOne({ _id: 'raw-event' }),
        ]);
      }),
    /** A schedule document of the published size (`meetings` meetings in draft and published, nested), and one agenda document per participant. */
    async fillSchedule(meetings: { a: string; b: string }[]) {
      await schedule.insertOne({ _id: 'raw-event', draft: { meetings }, published: { meetings } });
      await schedule.insertOne({ _id: 'raw-event-small', title: 'an event document', sessions: [] });
      // The bench's meetings name its own participants: spread them over the raw participant ids.
      const entries = new Map<string, unknown[]>(participantIds.map((id) => [id, []]));
      meetings.forEach((m, i) => {
        for (const who of [participantIds[(2 * i) % participantIds.length]!, participantIds[(2 * i + 1) % participantIds.length]!])
          entries
            .get(who)!
            .push({ ...m, status: 'scheduled', counterpart: { participantId: m.b, organisationId: 'org', name: 'Raw S.r.l.', type: 'company' } });
      });
      await fill(
        agendas,
        [...entries.keys()].map((id) => `raw-event|${id}`),
        (id) => ({
          _id: id,
          eventId: 'raw-event',
          participantId: id.split('|')[1],
          scheduleVersion: 2,
          sequence: 1,
          entries: entries.get(id.split('|')[1]!)!,
        }),
      );
    },

    async close() {
      // Scratch collections stay with the bench database (see deleteTopics in the bench).
    },
  };
}
export type RawShapes = ReturnType<typeof createRawShapes>;
