import type { SchedulerInput } from './scheduler.types';

export interface PlacedMeeting {
  a: string;
  b: string;
  sessionId: string;
  slot: number;
  table: number;
}

/**
 * Every hard-constraint violation of a set of meetings, written independently of the
 * optimiser (property tests use it as the oracle; schedule edits use it as the feasibility check).
 */
export function findViolations(
  input: Pick<SchedulerInput, 'sessions' | 'participants' | 'requests' | 'allowedTypePairs' | 'caps'>,
  meetings: PlacedMeeting[],
): string[] {
  const out: string[] = [];
  const participants = new Map(input.participants.map((p) => [p.id, p]));
  const sessions = new Map(input.sessions.map((s) => [s.id, s]));
  const declined = new Set(input.requests.filter((r) => r.status === 'declined').map((r) => [r.from, r.to].sort().join('|')));
  const seenPairs = new Set<string>();
  const seat = new Set<string>();
  const table = new Set<string>();
  const total = new Map<string, number>();
  const perSession = new Map<string, number>();
  for (const m of meetings) {
    const label = `${m.a}-${m.b}@${m.sessionId}#${m.slot}`;
    const s = sessions.get(m.sessionId);
    const pa = participants.get(m.a);
    const pb = participants.get(m.b);
    if (!s || !s.slots.includes(m.slot)) out.push(`${label}: no such session slot`);
    if (!pa || !pb) {
      out.push(`${label}: unknown participant`);
      continue;
    }
    if (m.a === m.b) out.push(`${label}: participant meets itself`);
    if (s && (m.table < 1 || m.table > s.tables)) out.push(`${label}: table ${m.table} does not exist`);
    const tkey = `${m.sessionId}#${m.slot}#${m.table}`;
    if (table.has(tkey)) out.push(`${label}: table ${m.table} used twice`);
    table.add(tkey);
    const pair = [m.a, m.b].sort().join('|');
    if (seenPairs.has(pair)) out.push(`${label}: pair meets more than once`);
    seenPairs.add(pair);
    if (declined.has(pair)) out.push(`${label}: declined pair scheduled`);
    if (input.allowedTypePairs && !input.allowedTypePairs.some(([x, y]) => (x === pa.type && y === pb.type) || (x === pb.type && y === pa.type))) {
      out.push(`${label}: types ${pa.type}/${pb.type} may not meet`);
    }
    for (const p of [pa, pb]) {
      const list = p.availability?.[m.sessionId];
      if (list && !list.includes(m.slot)) out.push(`${label}: ${p.id} is not available`);
      const skey = `${p.id}@${m.sessionId}#${m.slot}`;
      if (seat.has(skey)) out.push(`${label}: ${p.id} double-booked`);
      seat.add(skey);
      total.set(p.id, (total.get(p.id) ?? 0) + 1);
      perSession.set(`${p.id}@${m.sessionId}`, (perSession.get(`${p.id}@${m.sessionId}`) ?? 0) + 1);
    }
  }
  for (const p of input.participants) {
    const capT = p.capTotal ?? input.caps.total;
    if (capT !== undefined && (total.get(p.id) ?? 0) > capT) out.push(`${p.id}: over total cap ${capT}`);
    const capS = p.capPerSession ?? input.caps.perSession;
    for (const s of input.sessions) {
      if (capS !== undefined && (perSession.get(`${p.id}@${s.id}`) ?? 0) > capS) out.push(`${p.id}: over cap ${capS} in ${s.id}`);
    }
  }
  return out;
}
