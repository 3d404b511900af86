import type { Event as EventView, Meeting } from '../api/generated/events';
import type { Translate } from '../i18n';

export interface Placement {
  sessionId: string;
  slot: number;
  table: number;
}

/** Session ids as the events service assigns them when the input had none (s1, s2, …). */
export const sessionIdOf = (event: EventView, index: number) => event.sessions[index]?.id ?? `s${index + 1}`;

/**
 * What a move would break, computed in the browser before anything is sent, so the organiser
 * sees it before saving. The events service checks the same rules again (409 with reasons).
 */
export function conflictsOfMove(event: EventView, meetings: Meeting[], moving: Meeting, to: Placement, name: (pid: string) => string, t: Translate): string[] {
  const out: string[] = [];
  const index = event.sessions.findIndex((_, i) => sessionIdOf(event, i) === to.sessionId);
  const session = event.sessions[index];
  if (!session) return [`unknown session ${to.sessionId}`];
  if (to.table > session.tables) out.push(t('conflictNoSuchTable', { tables: session.tables }));
  if ((session.breakSlots ?? []).includes(to.slot)) out.push(t('conflictBreak'));
  const same = meetings.filter((m) => m.id !== moving.id && m.sessionId === to.sessionId && m.slot === to.slot);
  if (same.some((m) => m.table === to.table)) out.push(t('conflictTable', { table: to.table }));
  for (const pid of [moving.a, moving.b]) {
    if (same.some((m) => m.a === pid || m.b === pid)) out.push(t('conflictParticipant', { name: name(pid) }));
  }
  return out;
}
