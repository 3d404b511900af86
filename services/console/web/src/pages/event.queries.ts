import { useQuery } from '@tanstack/react-query';
import { allItems, cursorQuery, eventsApi, ok } from '../api/client';
import type { Event as EventView, MeetingRequest, Participant, Schedule as ScheduleDoc } from '../api/generated/events';

export const eventKey = (id: string) => ['event', id] as const;

export function useEvent(id: string) {
  return useQuery({ queryKey: eventKey(id), queryFn: (): Promise<EventView> => ok(eventsApi.GET('/events/{id}', { params: { path: { id } } })) });
}

export function participantsOf(id: string): Promise<Participant[]> {
  return allItems<Participant>((cursor) => ok(eventsApi.GET('/events/{id}/participants', { params: { path: { id }, ...cursorQuery(cursor) } })));
}

export function useParticipants(id: string) {
  return useQuery({
    queryKey: [...eventKey(id), 'participants'],
    queryFn: () => participantsOf(id),
  });
}

export function useRequests(id: string) {
  return useQuery({
    queryKey: [...eventKey(id), 'requests'],
    queryFn: () => allItems<MeetingRequest>((cursor) => ok(eventsApi.GET('/events/{id}/requests', { params: { path: { id }, ...cursorQuery(cursor) } }))),
  });
}

export function useSchedule(id: string, enabled = true) {
  return useQuery({
    queryKey: [...eventKey(id), 'schedule'],
    queryFn: (): Promise<ScheduleDoc> => ok(eventsApi.GET('/events/{id}/schedule', { params: { path: { id } } })),
    enabled,
  });
}

/** participant id → organisation name, for grids and lists. */
export function namesOf(participants: Participant[] | undefined): (id: string) => string {
  const map = new Map((participants ?? []).map((p) => [p.id, p.organisation.name]));
  return (id) => map.get(id) ?? id.slice(0, 8);
}
