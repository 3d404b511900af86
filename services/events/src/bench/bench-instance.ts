import { createRandom } from '@lm/random';
import type { SchedulerInput } from '../domain/scheduler';

export interface BenchSize {
  participants: number;
  requests: number;
  suggestionsPerParticipant: number;
  sessions: number;
  slotsPerSession: number;
  tables: number;
}

/**
 * Draws participant indexes with a popularity skew (weights u³: a few stars get many requests,
 * as at real events) by binary search over the cumulative weights; `floor` keeps everyone drawable.
 */
export function popularityPicker(rng: ReturnType<typeof createRandom>, n: number, floor = 0): () => number {
  const popularity = Array.from({ length: n }, () => Math.pow(rng.next(), 3) + floor);
  const total = popularity.reduce((s, x) => s + x, 0);
  const cumulative: number[] = [];
  popularity.reduce((acc, x, i) => (cumulative[i] = acc + x / total), 0);
  return () => {
    const x = rng.next();
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/**
 * A realistic brokerage day: companies, research centres and investors; request targets follow
 * a popularity skew (a few stars get many requests, as at real events); some participants
 * attend one session only, some block slots; 5% VIPs.
 */
export function benchInstance(size: BenchSize, seed: number): SchedulerInput {
  const rng = createRandom(seed);
  const sessions = Array.from({ length: size.sessions }, (_, i) => ({
    id: `s${i}`,
    slots: Array.from({ length: size.slotsPerSession + 1 }, (_, k) => k).filter((k) => k !== Math.floor(size.slotsPerSession / 2)),
    tables: size.tables,
  }));
  const types = ['company', 'company', 'company', 'company', 'company', 'research_centre', 'research_centre', 'research_centre', 'investor', 'investor'];
  const participants = Array.from({ length: size.participants }, (_, i) => {
    const availability: Record<string, number[]> = {};
    const r = rng.next();
    for (const [si, s] of sessions.entries()) {
      const attends = r < 0.8 || (r < 0.9 ? si === 0 : si === 1);
      availability[s.id] = attends ? s.slots.filter(() => rng.next() > 0.1) : [];
    }
    return { id: `p${i}`, type: types[i % types.length]!, vip: rng.next() < 0.05, availability };
  });
  const pickPopular = popularityPicker(rng, participants.length);
  const requests: SchedulerInput['requests'] = [];
  for (let i = 0; i < size.requests; i++) {
    const from = rng.below(size.participants);
    let to = pickPopular();
    if (to === from) to = (to + 1) % size.participants;
    const s = rng.next();
    requests.push({
      id: `r${i}`,
      from: `p${from}`,
      to: `p${to}`,
      priority: rng.next() < 0.3 ? 'must_meet' : 'would_like',
      status: s < 0.65 ? 'accepted' : s < 0.85 ? 'pending' : s < 0.95 ? 'declined' : 'expired',
    });
  }
  const suggestions: SchedulerInput['suggestions'] = [];
  for (let p = 0; p < size.participants; p++) {
    for (let k = 0; k < size.suggestionsPerParticipant; k++) suggestions.push({ a: `p${p}`, b: `p${rng.below(size.participants)}`, score: rng.next() });
  }
  return {
    sessions,
    participants,
    requests,
    suggestions,
    allowedTypePairs: [
      ['company', 'research_centre'],
      ['company', 'investor'],
      ['company', 'company'],
      ['research_centre', 'investor'],
    ],
    caps: { perSession: 6, total: 10 },
    pinned: [],
    options: { seed },
  };
}
