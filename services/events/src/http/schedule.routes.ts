import { principalOf } from '@lm/auth';
import { expectedVersion, parseOrThrow, setEtag } from '@lm/http';
import { z } from '@lm/contracts';
import { Router } from 'express';
import { analytics, giveFeedback, recordAttendance } from '../domain/attendance.usecases';
import { AttendanceInput, FeedbackInput } from '../domain/attendance.schemas';
import { ScheduleEdits } from '../domain/schedule.schemas';
import type { Repos, ScheduleRunner } from '../domain/events.ports';
import { createPublishJobs, createScheduleJobs } from '../domain/schedule.jobs';
import {
  editSchedule,
  generateSchedule,
  getSchedule,
  publicationOf,
  publishSchedule,
  scheduleRunOf,
  startPublication,
  startScheduleGeneration,
} from '../domain/schedule.usecases';
import { contextOf, param } from './context';

export const GenerateQuery = z.object({
  replan: z.enum(['keep', 'all']).default('keep'),
  budgetMs: z.coerce.number().int().min(50).max(120_000).optional(),
  seed: z.coerce.number().int().min(1).default(1),
  /** Wall-clock budget of the LP upper bound (default `SCHEDULE_BOUND_BUDGET_MS`); 0 reports the combinatorial bound only. */
  boundBudgetMs: z.coerce.number().int().min(0).max(60_000).optional(),
  /** false: answer 202 at once and run in the background (poll `GET …/schedule/run`). */
  wait: z.enum(['true', 'false']).default('true'),
});

export const PublishQuery = z.object({
  /** false: answer 202 at once and publish in the background (poll `GET …/schedule/publication`). */
  wait: z.enum(['true', 'false']).default('true'),
});

export function scheduleRoutes(repos: Repos, defaults: { budgetMs: number }, runner: ScheduleRunner): Router {
  const r = Router();
  const jobs = createScheduleJobs();
  const publications = createPublishJobs();
  // ':' inside a path segment must be escaped for Express 5's path-to-regexp.
  r.post('/events/:id/schedule\\:generate', async (req, res) => {
    const q = parseOrThrow(GenerateQuery, req.query, 'query');
    const opts = { replan: q.replan, timeBudgetMs: q.budgetMs ?? defaults.budgetMs, seed: q.seed, boundBudgetMs: q.boundBudgetMs };
    if (q.wait === 'false') {
      const run = await startScheduleGeneration(contextOf(req, repos), principalOf(req), param(req, 'id'), opts, runner, jobs);
      res
        .status(202)
        .location(`/events/${encodeURIComponent(param(req, 'id'))}/schedule/run`)
        .json(run);
      return;
    }
    const out = await generateSchedule(contextOf(req, repos), principalOf(req), param(req, 'id'), opts, runner);
    setEtag(res, out.version);
    res.json(out);
  });
  r.get('/events/:id/schedule/run', async (req, res) => {
    res.json(await scheduleRunOf(contextOf(req, repos), principalOf(req), param(req, 'id'), runner, jobs));
  });
  r.get('/events/:id/schedule/publication', async (req, res) => {
    res.json(await publicationOf(contextOf(req, repos), principalOf(req), param(req, 'id'), publications));
  });
  r.get('/events/:id/schedule', async (req, res) => {
    const doc = await getSchedule(contextOf(req, repos), principalOf(req), param(req, 'id'));
    setEtag(res, doc.version);
    res.json(doc);
  });
  r.patch('/events/:id/schedule', async (req, res) => {
    const body = parseOrThrow(ScheduleEdits, req.body, 'body');
    const doc = await editSchedule(contextOf(req, repos), principalOf(req), param(req, 'id'), body.edits, expectedVersion(req));
    setEtag(res, doc.version);
    res.json(doc);
  });
  r.post('/events/:id/schedule\\:publish', async (req, res) => {
    const q = parseOrThrow(PublishQuery, req.query, 'query');
    if (q.wait === 'false') {
      const started = await startPublication(contextOf(req, repos), principalOf(req), param(req, 'id'), expectedVersion(req), publications);
      res
        .status(202)
        .location(`/events/${encodeURIComponent(param(req, 'id'))}/schedule/publication`)
        .json(started);
      return;
    }
    const out = await publishSchedule(contextOf(req, repos), principalOf(req), param(req, 'id'), expectedVersion(req));
    setEtag(res, out.version);
    res.json(out);
  });
  r.post('/events/:id/meetings/:mid/check-in', async (req, res) => {
    const { participantId } = parseOrThrow(AttendanceInput, req.body, 'body');
    res.json(await recordAttendance(contextOf(req, repos), principalOf(req), param(req, 'id'), param(req, 'mid'), participantId, 'checked_in'));
  });
  r.post('/events/:id/meetings/:mid/no-show', async (req, res) => {
    const { participantId } = parseOrThrow(AttendanceInput, req.body, 'body');
    res.json(await recordAttendance(contextOf(req, repos), principalOf(req), param(req, 'id'), param(req, 'mid'), participantId, 'no_show'));
  });
  r.put('/events/:id/meetings/:mid/feedback', async (req, res) => {
    res.json(await giveFeedback(contextOf(req, repos), principalOf(req), param(req, 'id'), param(req, 'mid'), parseOrThrow(FeedbackInput, req.body, 'body')));
  });
  r.get('/events/:id/analytics', async (req, res) => {
    res.json(await analytics(contextOf(req, repos), principalOf(req), param(req, 'id')));
  });
  return r;
}
