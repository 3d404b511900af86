import { AppError } from '@lm/errors';
import type { ScheduleRunStatus } from './events.ports';

/** Why a background job failed, as its last outcome shows it. */
export interface JobError {
  code: string;
  message: string;
}

/** How the last background schedule run of an event ended. */
export interface LastScheduleRun {
  finishedAt: string;
  outcome: 'draft_saved' | 'failed';
  /** The schedule document's version with the new draft (the If-Match of a publish). */
  version?: number;
  meetings?: number;
  objective?: number;
  percentOfBound?: number;
  error?: JobError;
}

/** What a finished run hands back (see generateSchedule). */
interface RunOutcome {
  version: number;
  meetings: unknown[];
  report: { objective: number; percentOfBound: number };
}

/** A publication in progress. */
export interface PublicationStatus {
  eventId: string;
  startedAt: string;
  /** The schedule version the publish was asked for (its If-Match). */
  expectedVersion: number;
}

/** How the last background publication of an event ended. */
export interface LastPublication {
  finishedAt: string;
  outcome: 'published' | 'failed';
  /** The schedule document's version after the publish. */
  version?: number;
  /** The published schedule's number (the agendas' .ics SEQUENCE). */
  number?: number;
  meetings?: number;
  /** Meeting events written with it (relayed to Kafka afterwards). */
  events?: number;
  error?: JobError;
}

/** What a finished publish hands back (see publishSchedule). */
interface PublishOutcome {
  version: number;
  published: { number: number; meetings: unknown[] };
  events: number;
}

const failureOf = (e: unknown, what: string): JobError =>
  e instanceof AppError ? { code: e.code, message: e.message } : { code: 'internal', message: `${what} failed` };

/**
 * Long steps of an event started in the background (`?wait=false`), per event, in this
 * process: the one in progress (one per event at a time, the caller checks) and how the last
 * one ended, for the step's polling route.
 */
function createBackgroundJobs<Status, Outcome, Last>(
  what: string,
  describe: { done: (out: Outcome, finishedAt: string) => Last; failed: (error: JobError, finishedAt: string) => Last },
) {
  const active = new Map<string, Status>();
  const last = new Map<string, Last>();
  return {
    /** The job of the event in progress here (undefined when none). */
    active: (eventId: string): Status | undefined => active.get(eventId),
    last: (eventId: string): Last | undefined => last.get(eventId),
    /** Starts `run` without waiting for it; its outcome (or error) is kept as the event's last one. */
    start(eventId: string, status: Status, run: () => Promise<Outcome>, onFailure: (e: unknown) => void): Status {
      active.set(eventId, status);
      run()
        .then(
          (out) => void last.set(eventId, describe.done(out, new Date().toISOString())),
          (e: unknown) => {
            onFailure(e);
            last.set(eventId, describe.failed(failureOf(e, what), new Date().toISOString()));
          },
        )
        .finally(() => active.delete(eventId));
      return status;
    },
  };
}

/**
 * Schedule runs started in the background (`POST …/schedule:generate?wait=false`): whether one is
 * still reading its inputs or saving its draft (the worker pool reports the computing part), and
 * how the last one ended, for `GET …/schedule/run`.
 */
export const createScheduleJobs = () =>
  createBackgroundJobs<ScheduleRunStatus, RunOutcome, LastScheduleRun>('the schedule run', {
    done: (out, finishedAt) => ({
      finishedAt,
      outcome: 'draft_saved',
      version: out.version,
      meetings: out.meetings.length,
      objective: out.report.objective,
      percentOfBound: out.report.percentOfBound,
    }),
    failed: (error, finishedAt) => ({ finishedAt, outcome: 'failed', error }),
  });
export type ScheduleJobs = ReturnType<typeof createScheduleJobs>;

/**
 * Publications started in the background (`POST …/schedule:publish?wait=false`): the one in
 * progress and how the last one ended, for `GET …/schedule/publication`.
 */
export const createPublishJobs = () =>
  createBackgroundJobs<PublicationStatus, PublishOutcome, LastPublication>('the publication', {
    done: (out, finishedAt) => ({
      finishedAt,
      outcome: 'published',
      version: out.version,
      number: out.published.number,
      meetings: out.published.meetings.length,
      events: out.events,
    }),
    failed: (error, finishedAt) => ({ finishedAt, outcome: 'failed', error }),
  });
export type PublishJobs = ReturnType<typeof createPublishJobs>;
