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
  // Bounded well inside a lease, so the first lease taken is still running when the last is.
  const giveUpAt = now() + leaseMs / 3;
  for (const id of ids) {
    for (let pause = 10; !(await store.tryMergeLease(id, holder, new Date(now() + leaseMs), new Date(now()))); pause = Math.min(pause * 2, 200)) {
      if (now() > giveUpAt) {
        await store.releaseMergeLeases(ids, holder);
        throw new Error(`the merge lease on ${id} was not free within ${leaseMs / 3} ms; the batch is retried`);
      }
      await heartbeat?.();
      await sleep(pause);
    }
  }
  // Held for a whole lease from now, all of them; one taken over meanwhile (a stall) means start again.
  if (!(await store.renewMergeLeases(ids, holder, new Date(now() + leaseMs)))) {
    await store.releaseMergeLeases(ids, holder);
    throw new Error(`a merge lease of ${holder} was taken over while the others were taken; the batch is retried`);
  }
}
