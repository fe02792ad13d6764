/** A BullMQ job's retry delay for a `capped` backoff: 1 s, 2 s, 4 s … and then every minute. */
export const cappedRetryDelay = (attemptsMade: number) => Math.min(60_000, 1_000 * 2 ** Math.max(0, Math.min(attemptsMade - 1, 16)));
