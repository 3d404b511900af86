import type { Connection } from 'mongoose';
import type { Attendance, Feedback } from '../domain/attendance.schemas';
import type { EventDoc } from '../domain/event.schemas';
import { scheduleStore } from './agendas.repository';
import type { Repos } from '../domain/events.ports';
import { createEventsLocks } from './document.locks';
import type { DocumentLocks } from '@lm/mongo';
import { createOutboxMarks, outboxRepair, type OutboxCollection, type OutboxMarks } from './outbox.marks';
import { participantStore } from './participants.repository';
import { REQUEST_PARTITIONS, requestStore } from './requests.repository';
import { organisationSnapshots, suggestionStore } from './snapshots.repository';
import { versionedStore } from './versioned.repository';

/** Collections whose documents carry an outbox, laid out as their repositories write them. */
export const OUTBOX_COLLECTIONS: OutboxCollection[] = [{ name: 'requests', partitions: REQUEST_PARTITIONS }, 'schedules', 'attendance', 'feedback'];

/** The relay's marks and the document locks whose expiry restores them: what every writer of outbox documents needs. */
export function outboxWriting(conn: Connection): { marks: OutboxMarks; locks: DocumentLocks } {
  const marks = createOutboxMarks(conn);
  return { marks, locks: createEventsLocks(conn, outboxRepair(conn, OUTBOX_COLLECTIONS, marks)) };
}

export function createRepos(conn: Connection, kick: () => void = () => undefined): Repos {
  const { marks, locks } = outboxWriting(conn);
  return {
    events: versionedStore<EventDoc>(conn, 'events', locks),
    participants: participantStore(conn, locks),
    requests: requestStore(conn, locks, marks),
    ...scheduleStore(conn, locks, marks),
    attendance: versionedStore<Attendance>(conn, 'attendance', locks, { marks }),
    feedback: versionedStore<Feedback>(conn, 'feedback', locks, { marks }),
    organisations: organisationSnapshots(conn),
    suggestions: suggestionStore(conn),
    kick,
  };
}

/**
 * Indexes the use cases rely on. Uniqueness (one registration per organisation, one request per
 * direction) is kept by `_id`-keyed key documents (see participants/requests repositories).
 */
export async function ensureIndexes(conn: Connection): Promise<void> {
  const db = conn.db!;
  await db.collection('company_suggestions').createIndex({ candidateIds: 1 }, { name: 'candidates' });
  await db.collection('attendance').createIndex({ eventId: 1 }, { name: 'event' });
  await db.collection('feedback').createIndex({ eventId: 1 }, { name: 'event' });
}
