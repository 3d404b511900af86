import { createRandom } from '@lm/random';
import { popularityPicker } from './bench-instance';

// The brokerage event the HTTP bench builds: its organisations' kinds, its day, its requests.

export const KINDS = ['company', 'company', 'company', 'company', 'company', 'research_centre', 'research_centre', 'research_centre', 'investor', 'investor'];

/** A two-session day: 09:00–12:40 and 14:00–17:40 in 20-minute slots (one break each), 100 tables. */
export function eventInput(stamp: string) {
  const session = (id: string, start: string, end: string) => ({ id, date: '2027-03-10', start, end, slotMinutes: 20, breakSlots: [5], tables: 100 });
  return {
    title: `Bench brokerage day ${stamp}`,
    venue: 'Palazzo Lombardia, Milano',
    timeZone: 'Europe/Rome',
    sessions: [session('am', '09:00', '12:40'), session('pm', '14:00', '17:40')],
    caps: { perSession: 6, total: 10 },
    requestMode: 'receiver_accepts',
  };
}

/** Request pairs with a popularity skew (a few stars get many requests, as at real events), no pair twice. */
export function requestPairs(participants: number, requests: number, seed: number): [number, number][] {
  const rng = createRandom(seed);
  const popular = popularityPicker(rng, participants, 0.02);
  const seen = new Set<string>();
  const pairs: [number, number][] = [];
  while (pairs.length < requests) {
    const from = rng.below(participants);
    const to = popular();
    if (from === to || seen.has(`${from}>${to}`)) continue;
    seen.add(`${from}>${to}`);
    pairs.push([from, to]);
  }
  return pairs;
}
