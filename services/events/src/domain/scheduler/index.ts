export * from './scheduler.types';
export * from './slots';
export { schedule, scheduleGreedy } from './scheduler';
export { findViolations } from './validate';
export type { PlacedMeeting } from './validate';
export type { LinearProgram, LpSolution, LpSolver } from './lp.bound';
