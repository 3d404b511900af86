import type { Connection } from 'mongoose';
import type { Attendance, EventDoc, Feedback, MeetingRequest, Participant, ScheduleDoc } from '../domain/event.schemas';
import type { Repos } from '../domain/ports';
import { createEventsLocks } from './document.locks';
import { organisationSnapshots, suggestionStore } from './snapshots.repository';
import { versionedStore } from './versioned.repository';

/** Collections whose documents carry an outbox. */
export const OUTBOX_COLLECTIONS = ['requests', 'schedules', 'attendance', 'feedback'];

export function createRepos(conn: Connection, kick: () => void = () => undefined): Repos {
  const locks = createEventsLocks(conn);
  return {
    events: versionedStore<EventDoc>(conn, 'events', locks),
    participants: versionedStore<Participant>(conn, 'participants', locks),
    requests: versionedStore<MeetingRequest>(conn, 'requests', locks),
    schedules: versionedStore<ScheduleDoc>(conn, 'schedules', locks),
    attendance: versionedStore<Attendance>(conn, 'attendance', locks),
    feedback: versionedStore<Feedback>(conn, 'feedback', locks),
    organisations: organisationSnapshots(conn),
    suggestions: suggestionStore(conn),
    kick,
  };
}

/** Unique keys the use cases rely on (one registration per organisation, one request per direction). */
export async function ensureIndexes(conn: Connection): Promise<void> {
  const db = conn.db!;
  await db.collection('participants').createIndex({ eventId: 1, organisationId: 1 }, { unique: true, name: 'event_org_unique' });
  await db.collection('requests').createIndex({ eventId: 1, from: 1, to: 1 }, { unique: true, name: 'event_pair_unique' });
  await db.collection('requests').createIndex({ eventId: 1, to: 1 }, { name: 'event_to' });
  await db.collection('company_suggestions').createIndex({ candidateIds: 1 }, { name: 'candidates' });
  await db.collection('attendance').createIndex({ eventId: 1 }, { name: 'event' });
  await db.collection('feedback').createIndex({ eventId: 1 }, { name: 'event' });
}
