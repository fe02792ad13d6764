import fc from 'fast-check';
import { ReservoirSample, seededRandom } from './reservoir-sample';

describe('ReservoirSample (Algorithm R)', () => {
  it.each([
    ['nothing offered', 0, 0],
    ['fewer than the capacity: all kept', 3, 3],
    ['exactly the capacity', 5, 5],
    ['more: the capacity', 1000, 5],
  ])('%s', (_, offered, held) => {
    const sample = new ReservoirSample<number>(5, seededRandom(1));
    for (let i = 0; i < offered; i++) sample.offer(i);
    expect(sample.items).toHaveLength(held);
    expect(sample.seen).toBe(offered);
    expect(new Set(sample.items).size).toBe(held);
  });

  it('the same seed and stream, the same sample', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 300 }), (seed, n) => {
        const take = () => {
          const s = new ReservoirSample<number>(10, seededRandom(seed));
          for (let i = 0; i < n; i++) s.offer(i);
          return s.items;
        };
        expect(take()).toEqual(take());
      }),
    );
  });

  it('uniform: over many runs each of 100 items is held about capacity / 100 of the time', () => {
    const held = new Array<number>(100).fill(0);
    const runs = 4000;
    for (let run = 0; run < runs; run++) {
      const s = new ReservoirSample<number>(10, seededRandom(run + 1));
      for (let i = 0; i < 100; i++) s.offer(i);
      for (const i of s.items) held[i]++;
    }
    // Expected 400 each (binomial, sd ≈ 19): first, middle and last items alike.
    for (const count of held) expect(Math.abs(count - 400)).toBeLessThan(100);
  });

  it('seededRandom stays in [0, 1)', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 10_000; i++) {
      const x = random();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });
});
