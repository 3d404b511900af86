import { principalOf } from '@lm/auth';
import { parseOrThrow } from '@lm/http';
import { z } from '@lm/contracts';
import { Router } from 'express';
import { agendaCsv, agendaIcs, agendaOf } from '../domain/agenda.usecases';
import type { Repos } from '../domain/events.ports';
import { contextOf, param } from './context';

const AgendaQuery = z.object({ format: z.enum(['json', 'ics', 'csv']).default('json') });

export function agendaRoutes(repos: Repos): Router {
  const r = Router();
  r.get('/events/:id/participants/:pid/agenda', async (req, res) => {
    const { format } = parseOrThrow(AgendaQuery, req.query, 'query');
    const agenda = await agendaOf(contextOf(req, repos), principalOf(req), param(req, 'id'), param(req, 'pid'));
    if (format === 'ics') {
      res.type('text/calendar; charset=utf-8').setHeader('Content-Disposition', 'attachment; filename="agenda.ics"');
      res.send(agendaIcs(agenda, Date.now()));
    } else if (format === 'csv') {
      res.type('text/csv; charset=utf-8').setHeader('Content-Disposition', 'attachment; filename="agenda.csv"');
      res.send(agendaCsv(agenda));
    } else {
      res.json({
        eventId: agenda.event.id,
        eventStatus: agenda.event.status,
        participantId: agenda.participant.id,
        timeZone: agenda.event.timeZone,
        items: agenda.items,
      });
    }
  });
  return r;
}
