import type { Connection } from 'mongoose';
import { snapshotCollections } from '../data/snapshots.repository';
import { runRaw } from './load';

type Doc = { _id: string } & Record<string, unknown>;

/**
 * Raw mongodb-driver calls of the shapes the events data layer issues, on scratch collections
 * of the bench's database filled to the event's size (1,000 participant-sized and 5,000
 * request-sized documents): what the engine alone costs for each HTTP operation, measured in
 * the same run. The service's own collections are not touched.
 */
export function createRawShapes(conn: Connection) {
  const db = conn.db!;
  const col = (name: string) => db.collection<Doc>(`raw_${name}`);
  const participants = col('participants');
  const requests = col('requests');
  const inserted = col('inserted');
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
    organisation: { name: `Raw ${id} S.r.l.`, kind: 'company', province: 'MI', s3Areas: ['health_life_sciences'], specialties: ['cell_therapy', 'diagnostics'], description: 'x'.repeat(300) },
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
  });
  const fill = async (c: typeof participants, ids: string[], make: (id: string) => Doc) => {
    for (let i = 0; i < ids.length; i += 100) await c.insertMany(ids.slice(i, i + 100).map(make), { ordered: false });
  };
  const pick = (ids: string[]) => ids[(n++ * 7919) % ids.length]!;

  return {
    /** The organisation snapshots registration reads (what the profiles consumer stores). */
    async seedSnapshots(orgs: { id: string; kind: string }[]) {
      const snaps = snapshotCollections(conn);
      const docs = orgs.map((o, i) => ({
        _id: o.id,
        version: 1,
        deleted: false,
        organisation: { id: o.id, kind: o.kind, legalName: `Bench Org ${i} S.r.l.`, location: { province: 'MI' }, s3Areas: ['health_life_sciences'], specialties: ['cell_therapy'], description: [{ lang: 'en', text: 'Bench organisation' }] },
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

    /** register: event + snapshot by `_id`, one insert. */
    register: (n: number, c: number) =>
      runRaw('findOne {_id} ×2 + insertOne', n, c, async (i) => {
        await Promise.all([participants.findOne({ _id: pick(participantIds) }), participants.findOne({ _id: pick(participantIds) })]);
        await inserted.insertOne(participantDoc(`reg-${stamp}-${i}`));
      }),
    /** send: the sender by organisation (a filter: whole-table read), the receiver by `_id`, one insert. */
    sendRequest: (n: number, c: number) =>
      runRaw('find {organisationId} + findOne {_id} + insertOne', n, c, async (i) => {
        await participants.find({ organisationId: `org-${pick(participantIds)}` }).toArray();
        await participants.findOne({ _id: pick(participantIds) });
        await inserted.insertOne(requestDoc(`req-${stamp}-${i}`));
      }),
    /** decide: the request by `_id`, its update by `_id` (5,000-document table). */
    decide: (n: number, c: number) =>
      runRaw('findOne {_id} + updateOne {_id} (requests)', n, c, async () => {
        const id = pick(requestIds);
        await requests.findOne({ _id: id });
        await requests.updateOne({ _id: id }, { $set: { status: 'accepted' }, $inc: { version: 1 } } as never);
      }),
    /** a list page: filter, sort by `_id`, limit (reads the whole table). */
    page: (n: number, c: number) => runRaw('find {eventId} sort {_id} limit 101 (requests)', n, c, () => requests.find({ eventId: 'raw-event' }).sort({ _id: 1 }).limit(101).toArray()),
    /** what a schedule run reads: every participant and request of the event. */
    loadInputs: (n: number) => runRaw('find {eventId} participants + requests', n, 1, () => Promise.all([participants.find({ eventId: 'raw-event' }).toArray(), requests.find({ eventId: 'raw-event' }).toArray()])),
    /** the schedule document by `_id`. */
    schedule: (n: number) => runRaw('findOne {_id} (schedule document)', n, 1, () => schedule.findOne({ _id: 'raw-event' })),
    /** agenda: the schedule document and every participant of the event. */
    agenda: (n: number, c: number) => runRaw('findOne schedule + find {eventId} participants', n, c, () => Promise.all([schedule.findOne({ _id: 'raw-event' }), participants.find({ eventId: 'raw-event' }).toArray()])),
    /** A schedule document of the published size (`meetings` meetings in draft and published). */
    async fillSchedule(meetings: unknown[]) {
      await schedule.insertOne({ _id: 'raw-event', draft: { meetings }, published: { meetings } });
    },

    async close() {
      // Scratch collections stay with the bench database (see deleteTopics in the bench).
    },
  };
}
export type RawShapes = ReturnType<typeof createRawShapes>;
