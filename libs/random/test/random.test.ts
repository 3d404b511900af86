import { createRandom } from '../src';

describe('createRandom', () => {
  it('when two generators get the same seed, then they draw the same sequence', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
  });

  it('when the seed differs, then the sequence differs', () => {
    expect(createRandom(1).next()).not.toBe(createRandom(2).next());
  });

  it('when drawing bounded integers, then int stays in [min, max] and below in [0, n)', () => {
    const r = createRandom(7);
    for (let i = 0; i < 1000; i++) {
      const x = r.int(3, 5);
      const y = r.below(4);
      expect(x >= 3 && x <= 5 && Number.isInteger(x)).toBe(true);
      expect(y >= 0 && y < 4 && Number.isInteger(y)).toBe(true);
    }
  });

  it('when sampling k of n items, then k distinct items come back', () => {
    const picked = createRandom(3).sample(['a', 'b', 'c', 'd'], 3);
    expect(new Set(picked).size).toBe(3);
  });
});
