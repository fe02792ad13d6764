/**
 * When an owner learned from another run's claim may be trusted (ADR 0006: serialised
 * resolution). A resolution run claims the keys it presumes new, plans again when a claim
 * finds its key taken, and only then — its candidates final — marks itself settled. A key
 * claimed by a run that has not settled may still go to another customer of that run, so
 * nobody builds on it until the run settles, gives its claim back, or outlives the lease
 * (it crashed or stalled: its claims then stand as they are, and the run itself stops
 * changing them before half the lease is over).
 *
 * Two runs can each hold a claim the other needs (the same person from two sources, two
 * instances, the same moment). Wait-die keeps them from waiting for each other forever:
 * a run waits for an older one only after giving back its own unsettled claims ("yield"),
 * and waits for a younger one as it is. Age is the run id's order, the same on every
 * instance.
 */

export type ClaimRunStatus = 'SETTLED' | 'ABANDONED';

/** What a run does about one key another run claimed. */
export type ClaimVerdict =
  /** The owner stands: use it. */
  | 'settled'
  /** The claiming run is younger and at work: wait for it. */
  | 'wait'
  /** The claiming run is older and at work: give back this run's claims, then wait. */
  | 'yield';

export interface ClaimSeen {
  /** The run that claimed the key; none for keys written by a settled change (moves, merges, older data). */
  claimRun?: string;
}

/** A run id: its start time (ms, base 36, fixed width, so ids order by age) and a random part. */
export function newClaimRunId(startedAtMs: number, random: string): string {
  return `${startedAtMs.toString(36).padStart(9, '0')}-${random}`;
}

export function claimRunStartedAt(runId: string): number {
  const ms = parseInt(runId.slice(0, runId.indexOf('-')), 36);
  if (!Number.isFinite(ms)) throw new Error(`not a claim run id: ${runId}`);
  return ms;
}

export function claimVerdict(claim: ClaimSeen, status: ClaimRunStatus | undefined, me: string, nowMs: number, leaseMs: number): ClaimVerdict {
  const run = claim.claimRun;
  // A run that outlived its lease (crashed or stalled) stopped changing its claims at half of
  // it: they stand as they are, marked or not.
  if (!run || run === me || status || nowMs - claimRunStartedAt(run) >= leaseMs) return 'settled';
  return run < me ? 'yield' : 'wait';
}

/** A run stops changing its claims once half its lease is gone: others take them as they are after the whole lease. */
export function mayStillChangeClaims(me: string, nowMs: number, leaseMs: number): boolean {
  return nowMs - claimRunStartedAt(me) < leaseMs / 2;
}
