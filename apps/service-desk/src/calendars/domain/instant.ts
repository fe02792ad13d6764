/** ISO 8601 with a date, a time and an offset (Z or ±hh:mm): an instant, never a wall time read in the process's zone. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch milliseconds of an ISO instant; RangeError naming the argument otherwise. */
export function epochMs(instant: string, name: string): number {
  const ms = ISO_INSTANT.test(instant) ? Date.parse(instant) : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`${name} must be an ISO 8601 instant with an offset, got '${instant}'`);
  return ms;
}

/** The instant as the events carry it (UTC, milliseconds). */
export function isoInstant(ms: number): string {
  return new Date(ms).toISOString();
}

/** Whole milliseconds of a number of minutes (≥ 0, fractions allowed); RangeError naming the argument otherwise. */
export function minutesMs(minutes: number, name: string): number {
  if (!(Number.isFinite(minutes) && minutes >= 0)) throw new RangeError(`${name} must be a finite number of minutes, 0 or more, got ${minutes}`);
  return Math.round(minutes * 60_000);
}
