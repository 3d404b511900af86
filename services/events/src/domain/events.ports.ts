import type { Envelope } from '@lm/contracts';
import type { ProgressInfo, ScheduleResult, SchedulerInput } from './scheduler';
import type { Attendance, Feedback } from './attendance.schemas';
import type { EventDoc } from './event.schemas';
import type { OrgSnapshot, Participant } from './participant.schemas';
import type { MeetingRequest, StoredSuggestion } from './request.schemas';
import type { ScheduleDoc } from './schedule.schemas';

/**
 * What the use cases need from storage. Every write that changes state also takes the
 * envelopes to publish: they are stored in the same document (single-document atomicity,
 * no transactions on FerretDB) and relayed to Kafka later.
 */
export interface VersionedStore<T extends { id: string; version: number }> {
  get(id: string): Promise<T | undefined>;
  /** Fails with 409 duplicate when the id (or a unique key) exists. */
  insert(doc: T, outbox?: Envelope[]): Promise<T>;
  /** Compare-and-set on `version`; returns undefined when the version moved on. */
  update(id: string, expectedVersion: number, changes: Partial<T>, outbox?: Envelope[]): Promise<T | undefined>;
  /** Equality filter on plain fields. */
  find(filter: Partial<Record<keyof T & string, unknown>>): Promise<T[]>;
  /** One page in id order: rows after `after`, at most `limit`. */
  page(filter: PageFilter<T>, opts: { after?: string; limit: number }): Promise<T[]>;
}

/** Field conditions: a value means equal, an array means "one of". */
export type FieldFilter<T> = Partial<Record<keyof T & string, unknown>>;
/** All of `where`, and (when given) at least one of `anyOf`. */
export interface PageFilter<T> {
  where: FieldFilter<T>;
  anyOf?: FieldFilter<T>[];
}

/** One meeting as a participant's agenda lists it; times and place come from the event when it is read. */
export interface AgendaEntry {
  meetingId: string;
  sessionId: string;
  slot: number;
  table: number;
  status: 'scheduled' | 'cancelled';
  counterpart: { participantId: string; organisationId: string; name: string; type: string };
}

/** A participant's agenda as of one version of the schedule document (`sequence`: the published schedule's number). */
export interface StoredAgenda {
  eventId: string;
  participantId: string;
  scheduleVersion: number;
  sequence: number;
  entries: AgendaEntry[];
}

/** The agendas a schedule (as saved) gives: those of `only`, or of every participant of the event. */
export type AgendaBuilder = (schedule: ScheduleDoc, only?: ReadonlySet<string>) => Promise<StoredAgenda[]>;

/**
 * The schedule document, whose published meetings every participant's agenda (a read model, one
 * small document each) follows.
 */
export interface ScheduleStore extends VersionedStore<ScheduleDoc> {
  /**
   * A change of the published or cancelled meetings. When it returns, the agendas follow it: those
   * of `touched` participants (every participant's when omitted) are rewritten from the saved
   * schedule. If that is interrupted (crash, engine down), the event's agendas stay flagged as
   * behind and are rebuilt (see {@link AgendaStore.repair}); the schedule change itself stands.
   */
  updatePublished(
    id: string,
    expectedVersion: number,
    changes: Partial<ScheduleDoc>,
    outbox: Envelope[],
    agendas: { build: AgendaBuilder; touched?: string[] },
  ): Promise<ScheduleDoc | undefined>;
}

export interface AgendaStore {
  /** The participant's stored agenda, and whether the event's stored agendas follow the schedule (false while a change is being applied or after one was interrupted). */
  get(eventId: string, participantId: string): Promise<{ agenda: StoredAgenda | undefined; current: boolean }>;
  /** Rebuilds every agenda of the event from the schedule as it is now, unless they are current; one rebuild per event at a time. */
  repair(eventId: string, build: AgendaBuilder): Promise<void>;
  /** Something the agendas show besides the schedule changed (a participant's type): rebuilds them all. */
  invalidate(eventId: string, build: AgendaBuilder): Promise<void>;
}

export interface Repos {
  events: VersionedStore<EventDoc>;
  participants: VersionedStore<Participant>;
  requests: VersionedStore<MeetingRequest>;
  schedules: ScheduleStore;
  agendas: AgendaStore;
  attendance: VersionedStore<Attendance>;
  feedback: VersionedStore<Feedback>;
  organisations: { get(id: string): Promise<OrgSnapshot | undefined> };
  suggestions: { forOrganisations(orgIds: string[]): Promise<StoredSuggestion[]> };
  /** Nudges the outbox relay so events leave soon after the write. */
  kick(): void;
}

/** A page to read: after the id a cursor named (if any), `limit` rows. */
export interface PageRequest {
  after?: string;
  limit: number;
}
/**
 * A page as read: `limit + 1` rows (the extra one says whether another page exists) and the
 * view the caller may see of each row; the HTTP edge turns it into `{ items, nextCursor }`.
 */
export interface Paged<R extends { id: string }, V = R> {
  rows: R[];
  limit: number;
  view: (row: R) => V;
}

/** Where an event's schedule run is: waiting for a free worker, or running with the optimiser's last progress. */
export interface ScheduleRunStatus {
  eventId: string;
  /** preparing: reading the event's participants and requests, or saving the draft (background runs) */
  state: 'preparing' | 'queued' | 'running';
  startedAt: string;
  budgetMs: number;
  progress?: ProgressInfo;
}

/** Computes schedules away from the request path (worker threads), one status per event. */
export interface ScheduleRunner {
  run(eventId: string, input: SchedulerInput, onProgress?: (p: ProgressInfo) => void): Promise<ScheduleResult>;
  status(eventId: string): ScheduleRunStatus | undefined;
}

export interface UseCaseContext {
  repos: Repos;
  now: () => Date;
  /** progress lines of long jobs (schedule generation) */
  log: (msg: string, data?: object) => void;
}
