import { createLogger } from '@lm/logger';
import { testEndpoints, uniqueName } from '@lm/testing';
import type { Connection } from 'mongoose';
import { connectMongo, createInsertConfirmation } from '../../src';

const logger = createLogger({ service: 'mongo-insert-confirmation-test', level: 'silent' });
const GRACE_MS = 30_000;

/** A mark as a relay reads it: the document it is about, an insert's token, when it was written. */
type Mark = { _id: string; doc: string; v: number; t?: string; at: number };
type Doc = { _id: string; n: number; token?: string };

describe('lockless inserts confirmed by the relay, on a real MongoDB-wire engine', () => {
  let conn: Connection;
  beforeAll(async () => {
    conn = await connectMongo({ uri: testEndpoints().mongoUri, dbName: uniqueName('confirm').replace(/-/g, '_'), logger });
  });
  afterAll(async () => {
    await conn.dropDatabase();
    await conn.close();
  });

  /** A marks collection, a documents collection and the mechanism over them; `clock` moves the relay's time. */
  function setUp() {
    const marks = conn.db!.collection<Mark>(uniqueName('marks').replace(/-/g, '_'));
    const docs = conn.db!.collection<Doc>(uniqueName('docs').replace(/-/g, '_'));
    const clock = { offset: 0 };
    const confirm = createInsertConfirmation({ tokenField: 'token', graceMs: GRACE_MS, now: () => Date.now() + clock.offset });
    const sortOut = confirm.judge<Mark>({
      documentOf: (m) => m.doc,
      locate: (id) => ({ collection: docs, id }),
      tokenOf: (m) => m.t,
      markedAt: (m) => m.at,
      discard: async (dropped) => {
        await marks.deleteMany({ _id: { $in: dropped.map((m) => m._id) } });
      },
    });
    const mark = async (doc: string, v: number, t?: string, at = Date.now()) => {
      const m: Mark = { _id: `${doc}:${v}${t ? `:${t}` : ''}`, doc, v, at, ...(t ? { t } : {}) };
      await marks.insertOne(m);
      return m;
    };
    /** A writer's whole insert: mark, then the document with the same token. */
    const insert = async (doc: string, n: number) => {
      const token = confirm.newToken();
      const m = await mark(doc, 1, token);
      const outcome = await confirm.insert(
        m.at,
        () => docs.insertOne({ _id: doc, n, token }),
        () => marks.deleteOne({ _id: m._id }),
      );
      return { outcome, mark: m };
    };
    /** One relay round over every mark, in insertion order (as the services' unsorted pages). */
    const round = async () => {
      const { publish, hold } = await sortOut(await marks.find({}).toArray());
      return { publish: publish.map((m) => m._id), hold: hold.map((m) => m._id) };
    };
    const markIds = async () => (await marks.find({}).toArray()).map((m) => m._id);
    return { marks, docs, clock, confirm, mark, insert, round, markIds };
  }

  it('when a writer crashed after its mark and before its document, then the relay holds the mark and the later marks of that document within the grace, and drops the mark unpublished after it', async () => {
    const s = setUp();
    const crashed = await s.mark('doc-crashed', 1, s.confirm.newToken());
    const other = await s.mark('doc-other', 4);
    const later = await s.mark('doc-crashed', 2);

    expect(await s.round()).toEqual({ publish: [other._id], hold: [crashed._id, later._id] });
    expect(await s.markIds()).toEqual([crashed._id, other._id, later._id]);

    s.clock.offset = GRACE_MS;
    const afterGrace = await s.round();
    expect(afterGrace.publish).not.toContain(crashed._id);
    expect(await s.markIds()).not.toContain(crashed._id);
    expect(await s.markIds()).toContain(other._id);
  });

  it("when a writer crashed after its document (its answer never came back), then the relay publishes the insert's mark once, followed by the document's later marks in order", async () => {
    const s = setUp();
    const token = s.confirm.newToken();
    const first = await s.mark('doc-written', 1, token);
    await s.docs.insertOne({ _id: 'doc-written', n: 1, token });
    const update = await s.mark('doc-written', 2);

    expect(await s.round()).toEqual({ publish: [first._id, update._id], hold: [] });
    // Long after the grace, the confirmed marks are still the ones to publish (until the relay deletes them).
    s.clock.offset = GRACE_MS * 10;
    expect(await s.round()).toEqual({ publish: [first._id, update._id], hold: [] });
  });

  it("when two inserts of one id race, then one is written and the other learns it was a duplicate and withdraws its mark; a loser's mark left behind is dropped unpublished and only the winner's is published", async () => {
    const s = setUp();
    const results = await Promise.all([1, 2].map((n) => s.insert('doc-raced', n)));
    expect(results.map((r) => r.outcome).sort()).toEqual(['duplicate', 'written']);
    const winner = results.find((r) => r.outcome === 'written')!.mark;
    expect(await s.markIds()).toEqual([winner._id]);
    expect((await s.docs.findOne({ _id: 'doc-raced' }))?.token).toBe(winner.t);

    // A loser that crashed before withdrawing its mark: another token is stored, so it goes at once.
    const leftBehind = await s.mark('doc-raced', 1, 'losing-token');
    expect(await s.round()).toEqual({ publish: [winner._id], hold: [] });
    expect(await s.markIds()).toEqual([winner._id]);
    expect(leftBehind.t).not.toBe(winner.t);
  });

  it('when a document stored without any token already exists, then an insert mark of its id is dropped at once', async () => {
    const s = setUp();
    await s.docs.insertOne({ _id: 'doc-legacy', n: 0 });
    await s.mark('doc-legacy', 1, 'some-token');
    expect(await s.round()).toEqual({ publish: [], hold: [] });
    expect(await s.markIds()).toEqual([]);
  });

  it('when a writer reaches its document write after the deadline, then it writes nothing and withdraws its mark, so the grace never drops a mark whose document still comes', async () => {
    const s = setUp();
    expect(s.confirm.deadlineMs).toBeLessThan(GRACE_MS / 2);
    const token = s.confirm.newToken();
    const m = await s.mark('doc-late', 1, token, Date.now() - s.confirm.deadlineMs - 1);
    const outcome = await s.confirm.insert(
      m.at,
      () => s.docs.insertOne({ _id: 'doc-late', n: 1, token }),
      () => s.marks.deleteOne({ _id: m._id }),
    );
    expect(outcome).toBe('late');
    expect(await s.docs.findOne({ _id: 'doc-late' })).toBeNull();
    expect(await s.markIds()).toEqual([]);
  });

  it('when the document write fails for another reason than a duplicate, then the error is thrown and the mark stays for the relay to judge', async () => {
    const s = setUp();
    const m = await s.mark('doc-unknown', 1, s.confirm.newToken());
    await expect(
      s.confirm.insert(
        m.at,
        () => Promise.reject(new Error('connection reset')),
        () => s.marks.deleteOne({ _id: m._id }),
      ),
    ).rejects.toThrow('connection reset');
    expect(await s.markIds()).toEqual([m._id]);
  });
});
