import { AppError } from '@lm/errors';
import type { ScheduleRunStatus } from './events.ports';

/** How the last background schedule run of an event ended. */
export interface LastScheduleRun {
  finishedAt: string;
  outcome: 'draft_saved' | 'failed';
  /** The schedule document's version with the new draft (the If-Match of a publish). */
  version?: number;
  meetings?: number;
  objective?: number;
  percentOfBound?: number;
  error?: { code: string; message: string };
}

/** What a finished run hands back (see generateSchedule). */
interface RunOutcome {
  version: number;
  meetings: unknown[];
  report: { objective: number; percentOfBound: number };
}

/**
 * Schedule runs started in the background (`POST …/schedule:generate?wait=false`), per event,
 * in this process: whether one is still reading its inputs or saving its draft (the worker pool
 * reports the computing part), and how the last one ended, for `GET …/schedule/run`.
 */
export function createScheduleJobs() {
  const active = new Map<string, ScheduleRunStatus>();
  const last = new Map<string, LastScheduleRun>();
  return {
    /** The run started here that is reading inputs or saving (undefined when none). */
    active: (eventId: string): ScheduleRunStatus | undefined => active.get(eventId),
    last: (eventId: string): LastScheduleRun | undefined => last.get(eventId),
    /** Starts `run` without waiting for it; its outcome (or error) is kept as the event's last run. */
    start(eventId: string, budgetMs: number, run: () => Promise<RunOutcome>, onFailure: (e: unknown) => void): ScheduleRunStatus {
      const status: ScheduleRunStatus = { eventId, state: 'preparing', startedAt: new Date().toISOString(), budgetMs };
      active.set(eventId, status);
      run()
        .then(
          (out) =>
            void last.set(eventId, {
              finishedAt: new Date().toISOString(),
              outcome: 'draft_saved',
              version: out.version,
              meetings: out.meetings.length,
              objective: out.report.objective,
              percentOfBound: out.report.percentOfBound,
            }),
          (e: unknown) => {
            onFailure(e);
            const error = e instanceof AppError ? { code: e.code, message: e.message } : { code: 'internal', message: 'the schedule run failed' };
            last.set(eventId, { finishedAt: new Date().toISOString(), outcome: 'failed', error });
          },
        )
        .finally(() => active.delete(eventId));
      return { ...status };
    },
  };
}
export type ScheduleJobs = ReturnType<typeof createScheduleJobs>;
