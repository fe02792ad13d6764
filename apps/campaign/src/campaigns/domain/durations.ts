/** An hour, in ms. */
export const HOUR_MS = 3_600_000;

/** How long what waits on a paused campaign (a message's hand-over, a postponed decision, a batch run) waits before it looks again. */
export const PAUSED_RECHECK_MS = 60_000;
