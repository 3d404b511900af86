import { DEFAULT_WEIGHTS, MeetingSource, SchedulerInput, Weights } from './scheduler.types';

const UNLIMITED = 1 << 30;

/**
 * Compact, index-based view of the input: participants 0..P-1, global slots 0..G-1 (all
 * sessions' meeting slots, in order), candidate edges 0..E-1 (pairs that may meet and are
 * worth something). Typed arrays keep the optimiser fast at 1,000 participants.
 */
export interface Instance {
  P: number;
  G: number;
  S: number;
  E: number;
  participantIds: string[];
  participantIndex: Map<string, number>;
  types: string[];
  sessionIds: string[];
  sessionIndex: Map<string, number>;
  /** global slot → session index / slot number / tables */
  slotSession: Int32Array;
  slotNumber: Int32Array;
  slotTables: Int32Array;
  /** (session, slot number) → global slot */
  globalSlot: Map<string, number>;
  /** avail[p*G+g] = 1 when p can meet in g */
  avail: Uint8Array;
  capTotal: Int32Array;
  capSession: Int32Array;
  ea: Int32Array;
  eb: Int32Array;
  ew: Float64Array;
  edgeSource: MeetingSource[];
  edgeRequestIds: string[][];
  /** unordered pair key → edge */
  edgeOfPair: Map<string, number>;
  /** incident edges per participant, heaviest first */
  adj: number[][];
  declinedPairs: Set<string>;
  weights: Weights;
  minMeetings: number;
}

export function pairKey(a: number, b: number): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

export function typesAllowed(allowed: [string, string][] | null, t1: string, t2: string): boolean {
  if (!allowed) return true;
  return allowed.some(([x, y]) => (x === t1 && y === t2) || (x === t2 && y === t1));
}

export function sharesSlot(inst: Instance, a: number, b: number): boolean {
  const { G, avail } = inst;
  for (let g = 0; g < G; g++) if (avail[a * G + g] && avail[b * G + g]) return true;
  return false;
}

function requestWeight(w: Weights, priority: string, status: string): number {
  if (status === 'accepted') return priority === 'must_meet' ? w.mustMeetAccepted : w.wouldLikeAccepted;
  if (status === 'pending') return priority === 'must_meet' ? w.mustMeetPending : w.wouldLikePending;
  return 0;
}

export function buildInstance(input: SchedulerInput): Instance {
  const weights = { ...DEFAULT_WEIGHTS, ...(input.options?.weights ?? {}) };
  const participantIds = input.participants.map((p) => p.id);
  const participantIndex = new Map(participantIds.map((id, i) => [id, i]));
  const P = participantIds.length;
  const sessionIds = input.sessions.map((s) => s.id);
  const sessionIndex = new Map(sessionIds.map((id, i) => [id, i]));
  const S = sessionIds.length;

  const slotSessionArr: number[] = [];
  const slotNumberArr: number[] = [];
  const slotTablesArr: number[] = [];
  const globalSlot = new Map<string, number>();
  input.sessions.forEach((s, si) => {
    for (const n of [...new Set(s.slots)].sort((x, y) => x - y)) {
      globalSlot.set(`${s.id}#${n}`, slotSessionArr.length);
      slotSessionArr.push(si);
      slotNumberArr.push(n);
      slotTablesArr.push(Math.max(0, s.tables));
    }
  });
  const G = slotSessionArr.length;

  const avail = new Uint8Array(P * G);
  const capTotal = new Int32Array(P);
  const capSession = new Int32Array(P);
  input.participants.forEach((p, pi) => {
    capTotal[pi] = p.capTotal ?? input.caps.total ?? UNLIMITED;
    capSession[pi] = p.capPerSession ?? input.caps.perSession ?? UNLIMITED;
    for (let g = 0; g < G; g++) {
      const sid = sessionIds[slotSessionArr[g]!]!;
      const list = p.availability?.[sid];
      avail[pi * G + g] = !list || list.includes(slotNumberArr[g]!) ? 1 : 0;
    }
  });

  const inst: Instance = {
    P,
    G,
    S,
    E: 0,
    participantIds,
    participantIndex,
    types: input.participants.map((p) => p.type),
    sessionIds,
    sessionIndex,
    slotSession: Int32Array.from(slotSessionArr),
    slotNumber: Int32Array.from(slotNumberArr),
    slotTables: Int32Array.from(slotTablesArr),
    globalSlot,
    avail,
    capTotal,
    capSession,
    ea: new Int32Array(0),
    eb: new Int32Array(0),
    ew: new Float64Array(0),
    edgeSource: [],
    edgeRequestIds: [],
    edgeOfPair: new Map(),
    adj: [],
    declinedPairs: new Set(),
    weights,
    minMeetings: input.options?.minMeetings ?? 2,
  };

  // Declined pairs never meet, whatever else (a suggestion, the other direction) says.
  for (const r of input.requests) {
    const a = participantIndex.get(r.from);
    const b = participantIndex.get(r.to);
    if (a !== undefined && b !== undefined && r.status === 'declined') inst.declinedPairs.add(pairKey(a, b));
  }

  const ea: number[] = [];
  const eb: number[] = [];
  const ew: number[] = [];
  const vip = input.participants.map((p) => !!p.vip);
  const usable = (a: number, b: number) =>
    a !== b && !inst.declinedPairs.has(pairKey(a, b)) && typesAllowed(input.allowedTypePairs, inst.types[a]!, inst.types[b]!);
  const upsert = (a: number, b: number, value: number, source: MeetingSource, requestId?: string) => {
    const key = pairKey(a, b);
    let e = inst.edgeOfPair.get(key);
    if (e === undefined) {
      e = ea.length;
      inst.edgeOfPair.set(key, e);
      ea.push(Math.min(a, b));
      eb.push(Math.max(a, b));
      ew.push(0);
      inst.edgeSource.push(source);
      inst.edgeRequestIds.push([]);
    }
    if (requestId) inst.edgeRequestIds[e]!.push(requestId);
    // A pair worth something for two reasons counts once, at its best reason.
    if (value > ew[e]! || (value === ew[e] && source === 'request')) {
      ew[e] = value;
      inst.edgeSource[e] = source;
    }
  };

  for (const r of input.requests) {
    const a = participantIndex.get(r.from);
    const b = participantIndex.get(r.to);
    if (a === undefined || b === undefined || !usable(a, b)) continue;
    const w = requestWeight(weights, r.priority, r.status);
    if (w > 0) upsert(a, b, w, 'request', r.id);
  }
  const maxScore = Math.max(0, ...input.suggestions.map((s) => s.score));
  if (maxScore > 0) {
    for (const s of input.suggestions) {
      const a = participantIndex.get(s.a);
      const b = participantIndex.get(s.b);
      if (a === undefined || b === undefined || !usable(a, b) || !(s.score > 0)) continue;
      upsert(a, b, (weights.suggestion * s.score) / maxScore, 'suggestion');
    }
  }
  // Pinned pairs keep their place even without a request (an organiser put them there).
  for (const pin of input.pinned) {
    const a = participantIndex.get(pin.a);
    const b = participantIndex.get(pin.b);
    if (a !== undefined && b !== undefined && a !== b && !inst.edgeOfPair.has(pairKey(a, b))) upsert(a, b, 0, 'manual');
  }

  for (let e = 0; e < ea.length; e++) {
    if (vip[ea[e]!] || vip[eb[e]!]) ew[e] = ew[e]! * weights.vipMultiplier;
  }
  inst.E = ea.length;
  inst.ea = Int32Array.from(ea);
  inst.eb = Int32Array.from(eb);
  inst.ew = Float64Array.from(ew);
  inst.adj = Array.from({ length: P }, () => [] as number[]);
  for (let e = 0; e < inst.E; e++) {
    inst.adj[ea[e]!]!.push(e);
    inst.adj[eb[e]!]!.push(e);
  }
  for (const list of inst.adj) list.sort((x, y) => ew[y]! - ew[x]! || x - y);
  return inst;
}
