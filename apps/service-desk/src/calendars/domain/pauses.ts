import { epochMs } from './instant';
import { Span } from './open-spans';

/** A stretch the SLA clock stood still (DOMAIN.md: PENDING_CUSTOMER); no `to` while the ticket still waits. */
export interface Pause {
  from: string;
  to?: string;
}

/** Pauses as sorted, disjoint spans: overlapping or touching ones merged, an open one running to Infinity. */
export function mergedPauses(pauses: readonly Pause[]): Span[] {
  const spans = pauses
    .map((pause, i): Span => {
      const from = epochMs(pause.from, `pauses[${i}].from`);
      const to = pause.to === undefined ? Infinity : epochMs(pause.to, `pauses[${i}].to`);
      if (to < from) throw new RangeError(`pauses[${i}]: to must not be before from`);
      return [from, to];
    })
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [from, to] of spans) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

/**
 * Working spans minus the pauses: time paused on a holiday or at night was never working
 * time, so nothing is taken twice. Ends when an open pause has stopped the clock for good.
 */
export function* withoutPauses(spans: Iterable<Span>, pauses: readonly Span[]): Generator<Span> {
  let next = 0;
  for (const [from, to] of spans) {
    let cursor = from;
    while (next < pauses.length && pauses[next][1] <= cursor) next++;
    for (let i = next; i < pauses.length && pauses[i][0] < to; i++) {
      if (pauses[i][0] > cursor) yield [cursor, pauses[i][0]];
      cursor = Math.max(cursor, pauses[i][1]);
      if (cursor >= to) break;
    }
    if (cursor === Infinity) return;
    if (cursor < to) yield [cursor, to];
  }
}
