/**
 * mulberry32: tiny, fast, and the same sequence for the same seed on every machine (demo data,
 * synthetic bench data, the scheduler's seeded search). Not for anything secret.
 */
export function createRandom(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  /** An integer in [min, max], both included. */
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  /** An integer in [0, n). */
  const below = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  /** `k` distinct items, in the order drawn. */
  const sample = <T>(items: readonly T[], k: number): T[] => {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < k && pool.length) out.push(pool.splice(Math.floor(next() * pool.length), 1)[0]!);
    return out;
  };
  const chance = (p: number) => next() < p;
  return { next, int, below, pick, sample, chance };
}
export type Random = ReturnType<typeof createRandom>;
