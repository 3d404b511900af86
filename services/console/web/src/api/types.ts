import type { components as Events } from './generated/events';
import type { components as Matching } from './generated/matching';
import type { components as Profiles } from './generated/profiles';

// Shapes from the generated clients (a contract change shows up here at compile time).
export type Organisation = Profiles['schemas']['Organisation'];
export type OrganisationInput = Profiles['schemas']['OrganisationInput'];
export type OrganisationPatch = Profiles['schemas']['OrganisationPatch'];
export type OrganisationView = Profiles['schemas']['OrganisationView'];
export type NeedOffer = Profiles['schemas']['NeedOffer'];
export type ImportReport = Profiles['schemas']['ImportReport'];
export type MatchItem = Matching['schemas']['MatchItem'];
export type ReindexJob = Matching['schemas']['ReindexJob'];
export type EventView = Events['schemas']['Event'];
export type EventInput = Events['schemas']['EventInput'];
export type SessionInput = Events['schemas']['SessionInput'];

// The events service documents most of its response bodies as open objects; these are the
// fields the console reads from them (see services/events/src/domain/event.schemas.ts).
export interface Participant {
  id: string;
  organisationId: string;
  type: string;
  organisation: { name: string; kind: string; province?: string };
  status: 'registered' | 'validated' | 'withdrawn';
  vip?: boolean;
}
export interface MeetingRequest {
  id: string;
  from: string;
  to: string;
  fromOrganisationId: string;
  toOrganisationId: string;
  priority: 'must_meet' | 'would_like';
  status: 'pending' | 'accepted' | 'declined' | 'expired';
  message?: string;
  createdAt: string;
}
export interface Meeting {
  id: string;
  sessionId: string;
  slot: number;
  table: number;
  a: string;
  b: string;
  source: 'request' | 'suggestion' | 'manual';
}
export interface UnscheduledRequest {
  requestId: string;
  from: string;
  to: string;
  priority: string;
  reason: string;
}
export interface RunReport {
  objective: number;
  upperBound: number;
  percentOfBound: number;
  meetings: number;
  unscheduled: UnscheduledRequest[];
  unscheduledByReason: Record<string, number>;
  meetingsPerParticipant: { min: number; median: number; max: number; mean: number };
  runtimeMs: number;
}
export interface ScheduleDoc {
  version: number;
  draft: { meetings: Meeting[]; report?: RunReport; generatedAt: string } | null;
  published: { meetings: Meeting[]; publishedAt: string; number: number } | null;
}
export interface Analytics {
  participants: number;
  requests: { total: number; accepted: number; declined: number };
  meetingsScheduled: number;
  meetingsHeld: number;
  noShowRate: number;
  cooperationRate: number;
}
export interface AgendaItem {
  meetingId: string;
  date: string;
  start: string;
  end: string;
  startsAt: string;
  timeZone: string;
  table: number;
  location: string;
  counterpart: { name: string; type: string };
}
