import { authenticate, principalOf, requireRole, type TokenVerifier } from '@lm/auth';
import { OrganisationPatch, z } from '@lm/contracts';
import { AppError } from '@lm/errors';
import { expectedVersion, parseOrThrow, setEtag } from '@lm/http';
import express, { Router } from 'express';
import { candidatesFromCsv, candidatesFromJson, createImportUseCase } from '../domain/import/import.usecase';
import { ListQuery } from '../domain/list.query';
import type { OrganisationUseCases } from '../domain/organisation.usecases';

const IdParams = z.object({ id: z.string().min(1).max(100) });
export const IMPORT_CSV_LIMIT = '2mb';

export interface OrganisationRoutesDeps {
  verifier: TokenVerifier;
  organisations: OrganisationUseCases;
  importOrganisations: ReturnType<typeof createImportUseCase>;
}

/** Thin: parse the request, call the use case, shape the response. */
export function organisationRoutes(deps: OrganisationRoutesDeps): Router {
  const r = Router();
  const { organisations } = deps;
  r.use('/organisations', authenticate(deps.verifier));
  // Express 5 path syntax: ':' starts a parameter, so the literal colon is escaped.
  r.use('/organisations\\:import', authenticate(deps.verifier));

  r.post('/organisations', async (req, res) => {
    const org = await organisations.create(principalOf(req), req.body);
    setEtag(res, org.version);
    res.status(201).location(`/organisations/${org.id}`).json(org);
  });

  r.get('/organisations', async (req, res) => {
    const query = parseOrThrow(ListQuery, req.query, 'query');
    res.json(await organisations.list(principalOf(req), query));
  });

  r.get('/organisations/:id', async (req, res) => {
    const { id } = parseOrThrow(IdParams, req.params, 'params');
    const org = await organisations.get(principalOf(req), id);
    setEtag(res, org.version);
    res.json(org);
  });

  r.patch('/organisations/:id', async (req, res) => {
    const { id } = parseOrThrow(IdParams, req.params, 'params');
    const principal = principalOf(req);
    const version = expectedVersion(req);
    const patch = parseOrThrow(OrganisationPatch, req.body, 'body');
    const org = await organisations.patch(principal, id, version, patch);
    setEtag(res, org.version);
    res.json(org);
  });

  r.delete('/organisations/:id', async (req, res) => {
    const { id } = parseOrThrow(IdParams, req.params, 'params');
    const result = await organisations.remove(principalOf(req), id, expectedVersion(req));
    setEtag(res, result.version);
    res.status(204).end();
  });

  r.post(
    '/organisations\\:import',
    requireRole('hub_staff', 'admin'),
    express.text({ type: ['text/csv', 'application/csv'], limit: IMPORT_CSV_LIMIT }),
    async (req, res) => {
      const type = req.headers['content-type'] ?? '';
      let candidates;
      if (/^(text|application)\/csv/i.test(type)) candidates = candidatesFromCsv(typeof req.body === 'string' ? req.body : '');
      else if (/^application\/json/i.test(type)) candidates = candidatesFromJson(req.body);
      else throw new AppError('unsupported_media_type', 'send application/json (an array) or text/csv');
      res.json(await deps.importOrganisations(principalOf(req), candidates));
    },
  );
  return r;
}
