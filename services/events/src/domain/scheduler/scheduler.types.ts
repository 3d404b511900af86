/**
 * Scheduler input/output. Pure data: the scheduler never does I/O and, for a given seed and
 * iteration budget, always returns the same schedule.
 */
import type { BoundReport } from './bound';
import type { LpSolver } from './lp.bound';

export type RequestPriority = 'must_meet' | 'would_like';
export type RequestStatus = 'accepted' | 'pending' | 'declined' | 'expired';

export interface SchedSession {
  id: string;
  /** Meeting slot numbers of this session (break slots already left out). */
  slots: number[];
  tables: number;
}

export interface SchedParticipant {
  id: string;
  type: string;
  vip?: boolean;
  /**
   * sessionId → slot numbers the participant can attend. A session missing from the map
   * means "every slot of it"; an empty array means "not attending that session".
   */
  availability?: Record<string, number[]>;
  capPerSession?: number;
  capTotal?: number;
}

export interface SchedRequest {
  id: string;
  from: string;
  to: string;
  priority: RequestPriority;
  status: RequestStatus;
}

export interface SchedSuggestion {
  a: string;
  b: string;
  /** Matching score, any non-negative scale; normalised by the largest score of the run. */
  score: number;
}

/** A meeting that must stay where it is (already published). */
export interface SchedPinned {
  meetingId?: string;
  a: string;
  b: string;
  sessionId: string;
  slot: number;
  table: number;
}

export interface Weights {
  mustMeetAccepted: number;
  wouldLikeAccepted: number;
  /** Pending (not yet expired) requests hold a tentative slot, worth less than accepted ones. */
  mustMeetPending: number;
  wouldLikePending: number;
  /** A suggestion is worth `suggestion × score / maxScore`. */
  suggestion: number;
  /** Bonus per participant for each of their first `minMeetings` meetings (fairness). */
  fairnessBonus: number;
  /** Applied to the value of a meeting with at least one VIP / hosted buyer. */
  vipMultiplier: number;
}

export const DEFAULT_WEIGHTS: Weights = {
  mustMeetAccepted: 100,
  wouldLikeAccepted: 40,
  mustMeetPending: 24,
  wouldLikePending: 16,
  suggestion: 12,
  fairnessBonus: 30,
  vipMultiplier: 1.5,
};

export interface ProgressInfo {
  phase: 'greedy' | 'construct' | 'improve' | 'perturb' | 'bound' | 'done';
  objective: number;
  iterations: number;
  elapsedMs: number;
}

export interface SchedulerOptions {
  seed?: number;
  /** Wall-clock budget of the improvement phase. Default 2000 ms. */
  timeBudgetMs?: number;
  /** Iteration budget (perturbation rounds); with it the result is reproducible regardless of machine speed. */
  maxIterations?: number;
  weights?: Partial<Weights>;
  /** Fairness target: meetings every participant should get before others get more. Default 2. */
  minMeetings?: number;
  /** Injected clock (ms) so the pure code can be timed and tested. Default Date.now. */
  clock?: () => number;
  onProgress?: (p: ProgressInfo) => void;
  /** Solves the LP relaxation for a tighter upper bound; without it the combinatorial bound is reported. */
  lpSolver?: LpSolver;
  /** Wall-clock budget of the LP bound, after the improvement phase. Default 2000 ms; 0 skips it. */
  boundBudgetMs?: number;
}

export interface SchedulerInput {
  sessions: SchedSession[];
  participants: SchedParticipant[];
  requests: SchedRequest[];
  suggestions: SchedSuggestion[];
  /** Pairs of participant types allowed to meet (unordered). `null`: anyone may meet anyone. */
  allowedTypePairs: [string, string][] | null;
  caps: { perSession?: number; total?: number };
  pinned: SchedPinned[];
  options?: SchedulerOptions;
}

export type MeetingSource = 'request' | 'suggestion' | 'manual';

export interface ScheduledMeeting {
  a: string;
  b: string;
  sessionId: string;
  slot: number;
  table: number;
  source: MeetingSource;
  requestIds: string[];
  value: number;
  pinned: boolean;
  meetingId?: string;
}

export type UnscheduledReason =
  'declined' | 'expired' | 'unknown_participant' | 'not_allowed_by_rules' | 'no_shared_free_slot' | 'cap_reached' | 'no_table' | 'lost_to_higher_value';

export interface UnscheduledRequest {
  requestId: string;
  from: string;
  to: string;
  priority: RequestPriority;
  reason: UnscheduledReason;
}

export interface MeetingStats {
  min: number;
  median: number;
  max: number;
  mean: number;
  /** Participants with at least one possible meeting (the ones the stats are over). */
  participants: number;
  /** Of those, how many got fewer than the fairness target. */
  belowTarget: number;
}

export interface RunReport {
  objective: number;
  /** The tighter of the bounds computed (see `bound`); every schedule's objective is at most this. */
  upperBound: number;
  percentOfBound: number;
  /** Which bound `upperBound` is, and what each candidate gave (LP: value, solver status, time, size). */
  bound: BoundReport;
  greedyObjective: number;
  meetings: number;
  unscheduled: UnscheduledRequest[];
  unscheduledByReason: Partial<Record<UnscheduledReason, number>>;
  meetingsPerParticipant: MeetingStats;
  droppedPinned: { pin: SchedPinned; reason: string }[];
  runtimeMs: number;
  iterations: number;
  stoppedBy: 'converged' | 'time_budget' | 'iteration_budget';
  seed: number;
}

export interface ScheduleResult {
  meetings: ScheduledMeeting[];
  report: RunReport;
}
