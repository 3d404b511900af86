import type { Envelope } from '@lm/contracts';
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

export interface Actor {
  sub: string;
  staff: boolean;
  org?: string;
}

export interface UseCaseContext {
  repos: Repos;
  now: () => Date;
  /** progress lines of long jobs (schedule generation) */
  log: (msg: string, data?: object) => void;
}
