const DAY_MS = 86_400_000;

/** Whole days from `since` to `asOf` (both ISO instants): 0 on the same day-length, never negative. */
export function daysSince(since: string, asOf: string): number {
  return Math.max(0, Math.floor((Date.parse(asOf) - Date.parse(since)) / DAY_MS));
}
