/** A seeded pseudo-random generator in [0, 1) (mulberry32): the same seed, the same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A bounded uniform sample of a stream of unknown length (reservoir sampling, Algorithm R):
 * after any number of offers, each item offered is held with the same probability
 * capacity / seen, in memory bounded by `capacity`.
 */
export class ReservoirSample<T> {
  readonly items: T[] = [];
  seen = 0;

  constructor(
    readonly capacity: number,
    private readonly random: () => number,
  ) {}

  offer(item: T): void {
    this.seen++;
    if (this.items.length < this.capacity) this.items.push(item);
    else {
      const slot = Math.floor(this.random() * this.seen);
      if (slot < this.capacity) this.items[slot] = item;
    }
  }
}
