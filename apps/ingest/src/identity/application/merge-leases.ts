import { setTimeout as sleep } from 'node:timers/promises';
import { IdentityStore } from './ports/identity-store.port';

/**
 * Takes the merge leases of these customers for `holder`, in one order on every instance
 * (two runs never wait for each other), waiting while another run merges one of them. A
 * lease lasts `leaseMs`; one whose holder outlived it is taken over.
 */
export async function holdMergeLeases(
  store: IdentityStore,
  customerIds: readonly string[],
  holder: string,
  leaseMs: number,
  now: () => number,
  heartbeat?: () => Promise<void>,
): Promise<void> {
  const ids = [...new Set(customerIds)].sort();
  const giveUpAt = now() + 2 * leaseMs;
  for (const id of ids) {
    for (let pause = 10; !(await store.tryMergeLease(id, holder, new Date(now() + leaseMs), new Date(now()))); pause = Math.min(pause * 2, 200)) {
      if (now() > giveUpAt) {
        await store.releaseMergeLeases(ids, holder);
        throw new Error(`the merge lease on ${id} was not free within ${2 * leaseMs} ms`);
      }
      await heartbeat?.();
      await sleep(pause);
    }
  }
}
