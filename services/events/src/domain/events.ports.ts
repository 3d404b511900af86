import type { Envelope } from '@lm/contracts';
import type { ProgressInfo, ScheduleResult, SchedulerInput } from './scheduler';
import type { Attendance, EventDoc, Feedback, MeetingRequest, OrgSnapshot, Participant, ScheduleDoc, StoredSuggestion } from './event.schemas';

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

export interface Repos {
  events: VersionedStore<EventDoc>;
  participants: VersionedStore<Participant>;
  requests: VersionedStore<MeetingRequest>;
  schedules: VersionedStore<ScheduleDoc>;
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
  state: 'queued' | 'running';
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
