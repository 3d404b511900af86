import type { Envelope } from '@lm/contracts';
import { AppError } from '@lm/errors';
import { isDuplicateKeyError, runOnce, withBusyRetry } from '@lm/mongo';
import type { Connection } from 'mongoose';
import type { Participant } from '../domain/participant.schemas';
import type { MeetingRequest } from '../domain/request.schemas';
import { participantStore } from './participants.repository';
import { outboxWriting } from './repositories';
import { requestStore } from './requests.repository';
import { snapshotCollections, type SnapDoc } from './snapshots.repository';
import { AGENDAS_BEHIND } from './agendas.repository';
import { toPlain, WITHOUT_OUTBOX, type Doc } from './versioned.repository';
import { documentBusy, documentLockKey } from './document.locks';
import { nestedPartsAsText } from './schedule.stored';

/**
 * Moves what an events database stored before the partitioned layout (one `participants`,
 * `requests` and `organisation_snapshots` collection each) into it, once per collection
 * (`layout_migrations` remembers): participants with their organisation keys, requests with
 * their links and outbox marks, snapshots into their partitions (@lm/mongo `runOnce`).
 * Documents already moved (a migration interrupted half-way) are skipped. The old collections
 * are left as they were, as a backup; nothing reads them any more.
 */
export async function migrateLegacyLayout(conn: Connection, log: (msg: string, data: object) => void = () => undefined): Promise<Record<string, number>> {
  const db = conn.db!;
  const { marks, locks } = outboxWriting(conn);
  const participants = participantStore(conn, locks);
  const requests = requestStore(conn, locks, marks);
  const snapshots = snapshotCollections(conn);
  const ignoreDuplicate = (e: unknown) => {
    if (!(e instanceof AppError && e.code === 'duplicate') && !isDuplicateKeyError(e)) throw e;
  };
  const steps: [string, (d: Doc) => Promise<unknown>][] = [
    [
      'organisation_snapshots',
      (d) =>
        snapshots
          .of(d._id)
          .insertOne(d as SnapDoc)
          .catch(ignoreDuplicate),
    ],
    ['participants', (d) => participants.insert(toPlain<Participant>(d)!).catch(ignoreDuplicate)],
    ['requests', (d) => requests.insert(toPlain<MeetingRequest>(d)!, (d.outbox as Envelope[] | undefined) ?? []).catch(ignoreDuplicate)],
  ];
  const moved: Record<string, number> = {};
  for (const [name, move] of steps) {
    const once = await runOnce(db, name, async () => {
      let n = 0;
      for await (const d of db.collection<Doc>(name).find({})) {
        await move(d);
        n++;
      }
      if (n) log('moved documents into the partitioned layout', { collection: name, documents: n });
      return n;
    });
    if (once.ran) moved[name] = once.result;
  }
  return moved;
}

/**
 * Agendas became stored documents (`agendas.repository.ts`) after schedules had been published:
 * every existing schedule with published or cancelled meetings gets its event flagged "agendas
 * behind", once (@lm/mongo `runOnce`), so the first agenda read answers from the schedule and
 * rebuilds that event's agendas. Returns the number of events flagged.
 */
export async function flagAgendasOfEarlierSchedules(conn: Connection, log: (msg: string, data: object) => void = () => undefined): Promise<number> {
  const db = conn.db!;
  const flags = db.collection<{ _id: string; token: string; at: number }>(AGENDAS_BEHIND);
  const once = await runOnce(db, AGENDAS_BEHIND, async () => {
    let n = 0;
    // Once per database: this decodes every schedule document.
    for await (const d of db.collection<Doc>('schedules').find({}, { projection: { published: 1, cancelled: 1 } })) {
      if (!d.published && !d.cancelled) continue;
      await flags.updateOne({ _id: d._id }, { $set: { token: 'migration', at: Date.now() } }, { upsert: true });
      n++;
    }
    if (n) log('agendas of earlier schedules flagged for a rebuild on first read', { events: n });
    return n;
  });
  return once.ran ? once.result : 0;
}

/** `layout_migrations` entry of {@link convertSchedulesToText}. */
export const SCHEDULE_TEXT = 'schedule_text';

/**
 * Schedules stored before their draft, published and cancelled meetings became JSON text
 * (schedule.stored) are rewritten with the same parts as text, once per database
 * (`layout_migrations`): each under its document lock, keeping its version — the content, and
 * so every client's If-Match, is unchanged. Reads accept both forms (a part written as nested
 * documents later is still read, and stored as text when it next changes), but a process of the
 * earlier version cannot read a converted schedule: no earlier process may run beside this one.
 * Returns the number of schedules converted.
 */
export async function convertSchedulesToText(conn: Connection, log: (msg: string, data: object) => void = () => undefined): Promise<number> {
  const db = conn.db!;
  const once = await runOnce(db, SCHEDULE_TEXT, async () => {
    const schedules = db.collection<Doc>('schedules');
    const { locks } = outboxWriting(conn);
    // The ids first: no cursor stays open over the collection while its documents are rewritten.
    const ids = (await schedules.find({}, { projection: { _id: 1 } }).toArray()).map((d) => d._id);
    let n = 0;
    for (const id of ids) {
      const converted = await locks.withLock(
        documentLockKey('schedules', id),
        async () => {
          const doc = await schedules.findOne({ _id: id }, WITHOUT_OUTBOX);
          const text = doc ? nestedPartsAsText(doc) : {};
          if (!Object.keys(text).length) return false;
          await withBusyRetry(() => schedules.updateOne({ _id: id }, { $set: text }));
          return true;
        },
        documentBusy('schedules', id),
      );
      if (converted) n++;
    }
    if (n) log('schedules converted to their parts as JSON text', { schedules: n });
    return n;
  });
  return once.ran ? once.result : 0;
}
