const DAY_MS = 86_400_000;

/** One generation's collection: the base name, the retention it was cut for, and its number. */
export interface Generation {
  retentionDays: number;
  index: number;
}

/**
 * The durable idempotency guard keeps applied eventIds in generations, one collection per
 * `retentionDays` of time: a key is written to the generation of its time and looked up in
 * the current and the previous one, and a whole generation is dropped once it is older than
 * that. Nothing is ever scanned or deleted key by key (FerretDB pushes only `_id` equality
 * down, ADR 0005), and a key is remembered for at least `retentionDays`, at most twice that.
 */
export function generationAt(at: Date, retentionDays: number): Generation {
  return { retentionDays, index: Math.floor(at.getTime() / (retentionDays * DAY_MS)) };
}

/** The generations a look-up at `at` consults: the current one first. */
export function liveGenerations(at: Date, retentionDays: number): Generation[] {
  const current = generationAt(at, retentionDays);
  return [current, { retentionDays, index: current.index - 1 }];
}

export function generationName(base: string, generation: Generation): string {
  return `${base}_${generation.retentionDays}d_${generation.index}`;
}

export function parseGenerationName(base: string, name: string): Generation | undefined {
  const match = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}_(\\d+)d_(-?\\d+)$`).exec(name);
  return match ? { retentionDays: Number(match[1]), index: Number(match[2]) } : undefined;
}

/** Past retention at `at`: no look-up consults it any more (whatever retention it was cut for). */
export function isExpired(generation: Generation, at: Date): boolean {
  return generation.index < generationAt(at, generation.retentionDays).index - 1;
}
