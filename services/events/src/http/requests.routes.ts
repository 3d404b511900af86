import { principalOf } from '@lm/auth';
import { parseOrThrow } from '@lm/http';
import { Router } from 'express';
import { MeetingRequestInput } from '../domain/request.schemas';
import type { Repos } from '../domain/events.ports';
import { decideRequest, listRequests, sendRequest } from '../domain/requests.usecases';
import { contextOf, pageBody, pageRequestOf, param } from './context';

export function requestsRoutes(repos: Repos): Router {
  const r = Router();
  r.post('/events/:id/requests', async (req, res) => {
    res.status(201).json(await sendRequest(contextOf(req, repos), principalOf(req), param(req, 'id'), parseOrThrow(MeetingRequestInput, req.body, 'body')));
  });
  r.get('/events/:id/requests', async (req, res) => {
    res.json(pageBody(await listRequests(contextOf(req, repos), principalOf(req), param(req, 'id'), pageRequestOf(req))));
  });
  r.post('/events/:id/requests/:rid/accept', async (req, res) => {
    res.json(await decideRequest(contextOf(req, repos), principalOf(req), param(req, 'id'), param(req, 'rid'), 'accepted'));
  });
  r.post('/events/:id/requests/:rid/decline', async (req, res) => {
    res.json(await decideRequest(contextOf(req, repos), principalOf(req), param(req, 'id'), param(req, 'rid'), 'declined'));
  });
  return r;
}
