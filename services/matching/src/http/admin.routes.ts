import { authenticate, requireRole, type TokenVerifier } from '@lm/auth';
import { AppError } from '@lm/errors';
import { parseOrThrow } from '@lm/http';
import { Router } from 'express';
import type { ReindexJobs } from '../domain/reindex.usecase';
import { JobIdParams } from './matches.schemas';

export function adminRoutes(jobs: ReindexJobs | undefined, verifier: TokenVerifier): Router {
  const r = Router();
  r.use('/admin', authenticate(verifier), requireRole('hub_staff', 'admin'));
  const jobsOrFail = () => {
    if (!jobs) throw AppError.unavailable('reindex');
    return jobs;
  };
  r.post('/admin/reindex', (_req, res) => {
    const job = jobsOrFail().start();
    res.status(202).location(`/admin/reindex/${job.jobId}`).json(job);
  });
  r.get('/admin/reindex/:jobId', (req, res) => {
    const { jobId } = parseOrThrow(JobIdParams, req.params, 'params');
    res.json(jobsOrFail().get(jobId));
  });
  return r;
}
