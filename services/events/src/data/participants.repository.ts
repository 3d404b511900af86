import { createPartitionedCollection, type DocumentLocks } from '@lm/mongo';
import type { Connection } from 'mongoose';
import type { Participant } from '../domain/participant.schemas';
import type { OutboxMarks } from './outbox.marks';
import { claimUniqueKey, type KeyDoc } from './unique.keys';
import { versionedStore } from './versioned.repository';

/** Hash partitions of participants and of their organisation keys (~30 rows per table per 1,000-participant event). */
export const PARTICIPANT_PARTITIONS = 32;

const keyOf = (eventId: string, organisationId: string) => `${eventId}|${organisationId}`;

/**
 * Participants, hash-partitioned by id. "Who is organisation X in event E" — asked on every
 * participant's request — is a key document `<eventId>|<organisationId>` → participant id,
 * which is also what makes a registration unique (409 on the second one).
 */
export function participantStore(conn: Connection, locks: DocumentLocks, marks?: OutboxMarks) {
  const base = versionedStore<Participant>(conn, 'participants', locks, { partitions: PARTICIPANT_PARTITIONS, ...(marks ? { marks } : {}) });
  const keys = createPartitionedCollection<KeyDoc>(conn, 'participant_keys', PARTICIPANT_PARTITIONS);
  return {
    ...base,
    async insert(doc: Participant, outbox = [] as Parameters<typeof base.insert>[1]) {
      await claimUniqueKey(keys, keyOf(doc.eventId, doc.organisationId), doc.id, {
        exists: async (id) => !!(await base.get(id)),
        message: 'this organisation is already registered for the event',
      });
      return base.insert(doc, outbox);
    },
    async find(filter: Partial<Record<keyof Participant & string, unknown>>) {
      const { eventId, organisationId } = filter;
      if (typeof eventId !== 'string' || typeof organisationId !== 'string') return base.find(filter);
      const key = await keys.of(keyOf(eventId, organisationId)).findOne({ _id: keyOf(eventId, organisationId) });
      const p = key && (await base.get(key.target));
      const matches =
        p && Object.entries(filter).every(([k, v]) => (Array.isArray(v) ? v.includes(p[k as keyof Participant]) : p[k as keyof Participant] === v));
      return matches ? [p] : [];
    },
  };
}
