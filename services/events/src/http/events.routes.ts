import { principalOf } from '@lm/auth';
import { expectedVersion, parseOrThrow, setEtag } from '@lm/http';
import { Router } from 'express';
import { loadEvent } from '../domain/access';
import { EventCancellation, EventInput, EventPatch } from '../domain/event.schemas';
import { ParticipantPatch, ParticipantRegistration } from '../domain/participant.schemas';
import { withdrawParticipant } from '../domain/cancellations.usecases';
import {
  cancelEvent,
  createEvent,
  listEvents,
  listParticipants,
  registerParticipant,
  suggestionsFor,
  updateEvent,
  updateParticipant,
} from '../domain/events.usecases';
import type { Repos } from '../domain/events.ports';
import { contextOf, pageBody, pageRequestOf, param } from './context';

export function eventsRoutes(repos: Repos): Router {
  const r = Router();
  r.post('/events', async (req, res) => {
    const ev = await createEvent(contextOf(req, repos), principalOf(req), parseOrThrow(EventInput, req.body, 'body'));
    setEtag(res.status(201), ev.version);
    res.json(ev);
  });
  r.get('/events', async (req, res) => {
    principalOf(req);
    res.json(pageBody(await listEvents(contextOf(req, repos), pageRequestOf(req))));
  });
  r.get('/events/:id', async (req, res) => {
    principalOf(req);
    const ev = await loadEvent(contextOf(req, repos), param(req, 'id'));
    setEtag(res, ev.version);
    res.json(ev);
  });
  r.patch('/events/:id', async (req, res) => {
    const ev = await updateEvent(contextOf(req, repos), principalOf(req), param(req, 'id'), parseOrThrow(EventPatch, req.body, 'body'), expectedVersion(req));
    setEtag(res, ev.version);
    res.json(ev);
  });
  r.post('/events/:id\\:cancel', async (req, res) => {
    const ev = await cancelEvent(
      contextOf(req, repos),
      principalOf(req),
      param(req, 'id'),
      parseOrThrow(EventCancellation, req.body ?? {}, 'body'),
      expectedVersion(req),
    );
    setEtag(res, ev.version);
    res.json(ev);
  });
  r.post('/events/:id/participants', async (req, res) => {
    const p = await registerParticipant(contextOf(req, repos), principalOf(req), param(req, 'id'), parseOrThrow(ParticipantRegistration, req.body, 'body'));
    res.status(201).json(p);
  });
  r.get('/events/:id/participants', async (req, res) => {
    res.json(pageBody(await listParticipants(contextOf(req, repos), principalOf(req), param(req, 'id'), pageRequestOf(req))));
  });
  r.patch('/events/:id/participants/:pid', async (req, res) => {
    res.json(
      await updateParticipant(contextOf(req, repos), principalOf(req), param(req, 'id'), param(req, 'pid'), parseOrThrow(ParticipantPatch, req.body, 'body')),
    );
  });
  r.post('/events/:id/participants/:pid\\:withdraw', async (req, res) => {
    res.json(await withdrawParticipant(contextOf(req, repos), principalOf(req), param(req, 'id'), param(req, 'pid')));
  });
  r.get('/events/:id/participants/:pid/suggestions', async (req, res) => {
    res.json(pageBody(await suggestionsFor(contextOf(req, repos), principalOf(req), param(req, 'id'), param(req, 'pid'), pageRequestOf(req))));
  });
  return r;
}
