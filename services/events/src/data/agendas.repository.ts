import { createPartitionedCollection, withBusyRetry, type DocumentLocks } from '@lm/mongo';
import { randomBytes } from 'crypto';
import type { Connection } from 'mongoose';
import type { ScheduleDoc } from '../domain/schedule.schemas';
import type { AgendaBuilder, AgendaStore, ScheduleStore, StoredAgenda } from '../domain/events.ports';
import { documentLockKey } from './document.locks';
import type { OutboxMarks } from './outbox.marks';
import { versionedStore } from './versioned.repository';
import { scheduleStoredForm } from './schedule.stored';

/** Hash partitions of the agendas (~30 per table for a 1,000-participant event). */
export const AGENDA_PARTITIONS = 32;
/** The collection of the "agendas behind" flags (one document per event whose agendas are being rewritten). */
export const AGENDAS_BEHIND = 'agendas_behind';

type AgendaRow = { _id: string } & StoredAgenda;
/** `token` changes with every schedule change that flags the event: a rebuild clears only the flag it saw. */
type BehindFlag = { _id: string; token: string; at: number };

/**
 * A change touching more agendas than this rewrites them after the schedule's lock is released
 * (a rebuild), not under it: the lock's lease and every other writer's wait are seconds.
 */
const UNDER_LOCK_LIMIT = 50;
/** A rebuild of 1,000 agendas takes seconds on a loaded machine; another process takes over after this. */
const REBUILD_LEASE_MS = 120_000;
const REBUILD_ATTEMPTS = 5;

const agendaId = (eventId: string, participantId: string) => `${eventId}|${participantId}`;
const newToken = () => randomBytes(8).toString('hex');

/**
 * Participants' agendas as a read model of the schedule document: one small `_id`-keyed
 * document per participant (`agendas_pNN`, `<eventId>|<participantId>`), so reading an agenda
 * never decodes the schedule document (draft + published meetings and their outbox: ~2 MB at
 * 1,000 participants, NOTES.md).
 *
 * Consistency without transactions: every change of the published meetings first flags the
 * event's agendas as behind (`agendas_behind`, under the schedule's document lock), then writes
 * the schedule, then the agendas, then removes the flag. A reader that sees the flag answers
 * from the schedule document itself (the old, slow way) and starts a rebuild, so a change
 * interrupted half-way (crash, engine outage) is repaired by the next read, never served stale.
 * Flags are set and removed only under the schedule's lock, and a rebuild reads the schedule
 * and the flag's token under it too: a change that comes in while agendas are being rebuilt
 * re-flags the event with a new token, and the rebuild starts over instead of clearing.
 */
export function agendaStore(conn: Connection, locks: DocumentLocks, readSchedule: (eventId: string) => Promise<ScheduleDoc | undefined>) {
  const rows = createPartitionedCollection<AgendaRow>(conn, 'agendas', AGENDA_PARTITIONS);
  const behind = conn.db!.collection<BehindFlag>(AGENDAS_BEHIND);
  const scheduleLock = (eventId: string) => documentLockKey('schedules', eventId);
  const rebuilding = new Map<string, Promise<void>>();

  /** Caller holds the schedule's lock. Whether the agendas were already behind (an earlier change not applied to them). */
  async function flag(eventId: string): Promise<{ token: string; wasBehind: boolean }> {
    const token = newToken();
    const res = await withBusyRetry(() => behind.replaceOne({ _id: eventId }, { token, at: Date.now() }, { upsert: true }));
    return { token, wasBehind: res.matchedCount > 0 };
  }

  /** Caller holds the schedule's lock. */
  async function unflag(eventId: string): Promise<void> {
    await withBusyRetry(() => behind.deleteOne({ _id: eventId }));
  }

  /**
   * One bulk write of replace-upserts per partition, one partition after another: bulk writes of
   * several partitions of one database at once hung that whole database on FerretDB v1 (every
   * later statement on it waited forever; 4 of 6 probes at 1,000 agendas, NOTES.md), one at a
   * time never did and is no slower.
   */
  async function write(agendas: StoredAgenda[]): Promise<void> {
    const byPartition = new Map<number, AgendaRow[]>();
    for (const a of agendas) {
      const _id = agendaId(a.eventId, a.participantId);
      const p = rows.indexOf(_id);
      byPartition.set(p, [...(byPartition.get(p) ?? []), { _id, ...a }]);
    }
    for (const [p, docs] of byPartition)
      await withBusyRetry(() =>
        rows.all()[p]!.bulkWrite(
          docs.map((d) => ({ replaceOne: { filter: { _id: d._id }, replacement: d, upsert: true } })),
          { ordered: false },
        ),
      );
  }

  /**
   * Rebuilds every agenda of the event while it is flagged behind. `known`: the schedule as the
   * caller just saved it with that flag's token (saves reading it again when nobody changed it since).
   */
  async function rebuild(eventId: string, build: AgendaBuilder, known?: { schedule: ScheduleDoc; token: string }): Promise<void> {
    const owner = newToken();
    const lease = `agendas:${eventId}`;
    // Another process rebuilds them: its reads start over if this process's change came in after.
    if (!(await locks.tryAcquire(lease, owner, REBUILD_LEASE_MS))) return;
    try {
      for (let attempt = 0; attempt < REBUILD_ATTEMPTS; attempt++) {
        const state = await locks.withLock(scheduleLock(eventId), async () => {
          const flagged = await behind.findOne({ _id: eventId });
          if (!flagged) return undefined;
          const schedule = known?.token === flagged.token ? known.schedule : await readSchedule(eventId);
          return { token: flagged.token, schedule };
        });
        if (!state) return;
        if (state.schedule) await write(await build(state.schedule));
        const cleared = await locks.withLock(scheduleLock(eventId), async () => {
          const flagged = await behind.findOne({ _id: eventId });
          if (flagged && flagged.token !== state.token) return false;
          if (flagged) await unflag(eventId);
          return true;
        });
        if (cleared) return;
      }
    } finally {
      await locks.releaseMany([lease], owner);
    }
  }

  const store: AgendaStore = {
    async get(eventId, participantId) {
      const id = agendaId(eventId, participantId);
      const [row, flagged] = await Promise.all([rows.of(id).findOne({ _id: id }), behind.findOne({ _id: eventId })]);
      const agenda = row ? (({ _id, ...rest }) => rest)(row) : undefined;
      return { agenda, current: !flagged };
    },
    repair(eventId, build) {
      // One rebuild per event in this process; readers arriving meanwhile wait for it, not start another.
      let running = rebuilding.get(eventId);
      if (!running) {
        running = rebuild(eventId, build).finally(() => rebuilding.delete(eventId));
        rebuilding.set(eventId, running);
      }
      return running;
    },
    async invalidate(eventId, build) {
      await locks.withLock(scheduleLock(eventId), () => flag(eventId));
      await store.repair(eventId, build);
    },
  };
  return { ...store, flag, unflag, write, rebuild };
}

/**
 * The schedule documents (one per event; draft, published and cancelled meetings stored as JSON
 * text, see schedule.stored), with the agendas kept in step with their published meetings (see
 * {@link agendaStore}).
 */
export function scheduleStore(conn: Connection, locks: DocumentLocks, marks: OutboxMarks): { schedules: ScheduleStore; agendas: AgendaStore } {
  const base = versionedStore<ScheduleDoc>(conn, 'schedules', locks, { marks, form: scheduleStoredForm });
  const agendas = agendaStore(conn, locks, (id) => base.get(id));
  const schedules: ScheduleStore = {
    ...base,
    async updatePublished(id, expectedVersion, changes, outbox, { build, touched }) {
      const underLock = touched !== undefined && touched.length <= UNDER_LOCK_LIMIT;
      let flagged: { token: string; wasBehind: boolean } | undefined;
      const saved = await base.updateWith(id, expectedVersion, changes, outbox, {
        before: async () => {
          flagged = await agendas.flag(id);
        },
        after: async (doc) => {
          if (!doc) {
            // Nothing changed: the agendas are as current as they were before.
            if (!flagged!.wasBehind) await agendas.unflag(id);
            return;
          }
          if (!underLock || flagged!.wasBehind) return;
          // The few agendas the change touches, with no other change in between. If this fails,
          // the flag stays and the next read rebuilds them: the schedule change stands.
          try {
            await agendas.write(await build(doc, new Set(touched)));
            await agendas.unflag(id);
          } catch {
            return;
          }
        },
      });
      // Every agenda, after the lock. A failure leaves the flag: reads answer from the schedule and rebuild.
      if (saved && (!underLock || flagged!.wasBehind)) await agendas.rebuild(id, build, { schedule: saved, token: flagged!.token }).catch(() => undefined);
      return saved;
    },
  };
  return { schedules, agendas };
}
