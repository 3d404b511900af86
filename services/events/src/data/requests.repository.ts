import { createPartitionedCollection, isDuplicateKeyError, withBusyRetry, type DocumentLocks } from '@lm/mongo';
import type { Connection } from 'mongoose';
import type { MeetingRequest } from '../domain/request.schemas';
import type { PageFilter } from '../domain/events.ports';
import type { OutboxMarks } from './outbox.marks';
import { claimUniqueKey, type KeyDoc } from './unique.keys';
import { versionedStore } from './versioned.repository';

/** Hash partitions of requests and of their links (~80 requests per table per 5,000-request event). */
export const REQUEST_PARTITIONS = 64;

/** `anyOf: [{from: X}, {to: X}]`: the requests one participant sent or received. */
function participantOfPage(filter: PageFilter<MeetingRequest>): string | undefined {
  const [a, b] = filter.anyOf ?? [];
  if (filter.anyOf?.length !== 2 || Object.keys(a!).length !== 1 || Object.keys(b!).length !== 1) return undefined;
  return typeof a!.from === 'string' && a!.from === b!.to ? a!.from : undefined;
}

/**
 * Meeting requests, hash-partitioned by id. Each request has two link documents in
 * `request_links`, partitioned by the participant they belong to: `<from>><to>` (the sender's;
 * its unique `_id` makes one request per direction) and `<to><<from>` (the receiver's). A
 * participant's own requests are its links — one small table — and then its requests by id.
 */
export function requestStore(conn: Connection, locks: DocumentLocks, marks?: OutboxMarks) {
  const base = versionedStore<MeetingRequest>(conn, 'requests', locks, { partitions: REQUEST_PARTITIONS, ...(marks ? { marks } : {}) });
  // Link documents: `KeyDoc` with `p` (the participant it belongs to) and `eventId`.
  const links = createPartitionedCollection<KeyDoc>(conn, 'request_links', REQUEST_PARTITIONS);
  const exists = async (id: string) => !!(await base.get(id));
  return {
    ...base,
    async insert(doc: MeetingRequest, outbox = [] as Parameters<typeof base.insert>[1]) {
      const fields = { eventId: doc.eventId };
      await claimUniqueKey(links, `${doc.from}>${doc.to}`, doc.id, {
        exists,
        message: 'you already asked this participant for a meeting',
        fields: { ...fields, p: doc.from },
        partitionKey: doc.from,
      });
      // The sender's link decided uniqueness; the receiver's may only be left over from a failed
      // insert, so it is replaced then. The receiver's link and the request go in together.
      const receiver = { _id: `${doc.to}<${doc.from}`, target: doc.id, at: Date.now(), p: doc.to, ...fields };
      const receiverLink = withBusyRetry(() => links.of(doc.to).insertOne(receiver)).catch((e: unknown) => {
        if (!isDuplicateKeyError(e)) throw e;
        return withBusyRetry(() => links.of(doc.to).replaceOne({ _id: receiver._id }, receiver));
      });
      const [, saved] = await Promise.all([receiverLink, base.insert(doc, outbox)]);
      return saved;
    },
    async page(filter: PageFilter<MeetingRequest>, opts: { after?: string; limit: number }) {
      const p = participantOfPage(filter);
      if (!p) return base.page(filter, opts);
      const mine = await links
        .of(p)
        .find({ p, ...(filter.where.eventId ? { eventId: filter.where.eventId } : {}), ...(opts.after ? { target: { $gt: opts.after } } : {}) })
        .sort({ target: 1 })
        .limit(opts.limit)
        .toArray();
      const rows = await Promise.all(mine.map((l) => base.get(l.target)));
      // A link whose request never appeared (failed insert) is skipped.
      return rows.filter((r): r is MeetingRequest => !!r && Object.entries(filter.where).every(([k, v]) => r[k as keyof MeetingRequest] === v));
    },
  };
}
