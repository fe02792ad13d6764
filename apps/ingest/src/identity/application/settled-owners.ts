import { setTimeout as sleep } from 'node:timers/promises';
import { claimVerdict } from '../domain/claim-settlement';
import { IdentityStore, KeyClaim } from './ports/identity-store.port';

export interface SettleContext {
  /** This run. */
  run: string;
  leaseMs: number;
  now(): number;
  /** Called once, before waiting for an older run: gives back this run's unsettled claims. */
  yieldClaims(): Promise<void>;
  /** Called while waiting (a Kafka consumer stays in its group). */
  heartbeat?: () => Promise<void>;
}

/**
 * The owners of keys another run holds, once they stand (domain/claim-settlement.ts):
 * a key's owner is used only when the run that claimed it has settled, or outlived its
 * lease; a key given back meanwhile answers `undefined` (claim it again). Marks are read
 * before the keys, so a key read after its run's settle mark shows where that run left it.
 */
export async function settledOwners(store: IdentityStore, keys: readonly string[], ctx: SettleContext): Promise<Map<string, string | undefined>> {
  const owners = new Map<string, string | undefined>();
  /** The run of a claim still within its lease and not known to be marked: its mark is read. */
  const unmarkedRun = (claim: KeyClaim | undefined): string[] =>
    claim?.claimRun && ['wait', 'yield'].includes(claimVerdict(claim, undefined, ctx.run, ctx.now(), ctx.leaseMs)) ? [claim.claimRun] : [];
  let pending = [...keys];
  let claims = await store.claimsOf(pending);
  let yielded = false;
  // A local bound too (another instance's clock may run ahead): after it, claims stand as they are.
  const takeAsTheyStandAt = performance.now() + 1.5 * ctx.leaseMs;
  for (let pause = 10; ; pause = Math.min(pause * 2, 200)) {
    // Only claims of runs still within their lease need their run's mark; such keys are read again after it.
    const runs = [...new Set(pending.flatMap((k) => unmarkedRun(claims.get(k))))];
    const statuses = await store.claimRunStatuses(runs);
    const reread = pending.filter((k) => statuses.has(claims.get(k)?.claimRun ?? ''));
    const fresh = await store.claimsOf(reread);
    for (const k of reread) {
      const c = fresh.get(k);
      if (c) claims.set(k, c);
      else claims.delete(k);
    }

    let mustYield = false;
    const waiting: string[] = [];
    for (const key of pending) {
      const claim = claims.get(key);
      if (!claim) {
        owners.set(key, undefined);
        continue;
      }
      const verdict = performance.now() > takeAsTheyStandAt ? 'settled' : claimVerdict(claim, claim.claimRun ? statuses.get(claim.claimRun) : undefined, ctx.run, ctx.now(), ctx.leaseMs);
      if (verdict === 'settled') owners.set(key, claim.customerId);
      else {
        if (verdict === 'yield') mustYield = true;
        waiting.push(key);
      }
    }
    if (!waiting.length) return owners;
    if (mustYield && !yielded) {
      await ctx.yieldClaims();
      yielded = true;
    }
    await ctx.heartbeat?.();
    await sleep(pause);
    pending = waiting;
    claims = await store.claimsOf(pending);
  }
}
