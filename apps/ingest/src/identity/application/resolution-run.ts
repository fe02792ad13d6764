import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Clock } from '@meridian/shared';
import { mayStillChangeClaims, newClaimRunId } from '../domain/claim-settlement';
import { holdMergeLeases } from './merge-leases';
import { IdentityChange, IdentityStore } from './ports/identity-store.port';
import { settledOwners } from './settled-owners';

/**
 * One resolution of a batch, as other instances see it (ADR 0006: serialised resolution):
 * the keys it claimed, the candidates it created, the merge leases it holds, and its mark —
 * settled once its claims are final, abandoned when it gives up. A batch planned again
 * after it settled (a merge someone else made meanwhile) claims under a fresh run id.
 */
export class ResolutionRun {
  id: string;
  readonly created = new Set<string>();
  /** Candidates that own keys of a settled run: never dropped. */
  readonly kept = new Set<string>();
  /** Told which keys the run gave back, to forget them. */
  onYield: (keys: readonly string[]) => void = () => undefined;
  /** Keys claimed by the current run id and not settled yet, with their customer. */
  private readonly claimed = new Map<string, string>();
  private leased: string[] = [];
  private leaseHolder = '';
  private readonly logger = new Logger(ResolutionRun.name);

  constructor(
    private readonly store: IdentityStore,
    private readonly clock: Clock,
    private readonly leaseMs: number,
    private readonly heartbeat?: () => Promise<void>,
  ) {
    this.id = this.newId();
  }

  private newId(): string {
    return newClaimRunId(this.clock.now().getTime(), randomBytes(6).toString('hex'));
  }

  /** Creates the new candidates and claims the keys; answers the keys someone else holds. */
  async claim(claims: ReadonlyArray<{ key: string; customerId: string; eventId: string }>, candidates: ReadonlyArray<{ customerId: string; eventId: string }>, at: Date): Promise<string[]> {
    this.mayStillChangeClaims();
    await this.store.createCustomers(candidates, at);
    candidates.forEach((c) => this.created.add(c.customerId));
    // Recorded before the insert: one that fails half-way leaves claims this run must still give back.
    for (const c of claims) this.claimed.set(c.key, c.customerId);
    const taken = await this.store.claim(claims, at, this.id);
    for (const key of taken) this.claimed.delete(key);
    return taken;
  }

  settledOwners(keys: readonly string[]): Promise<Map<string, string | undefined>> {
    return settledOwners(this.store, keys, {
      run: this.id,
      leaseMs: this.leaseMs,
      now: () => this.clock.now().getTime(),
      heartbeat: this.heartbeat,
      yieldClaims: () => this.giveBack(),
    });
  }

  /** Takes the merge leases, then answers whether no customer to merge has been merged since (else nothing is held). */
  async leaseForMerges(customerIds: readonly string[]): Promise<boolean> {
    this.leaseHolder = this.id;
    // Recorded first: leases taken before a failure half-way are released too.
    this.leased = [...new Set(customerIds)];
    await holdMergeLeases(this.store, customerIds, this.leaseHolder, this.leaseMs, () => this.clock.now().getTime(), this.heartbeat);
    for (const id of this.leased) {
      if ((await this.store.customer(id))?.status === 'MERGED') {
        await this.releaseMergeLeases();
        return false;
      }
    }
    return true;
  }

  async releaseMergeLeases(): Promise<void> {
    if (!this.leased.length) return;
    const leased = this.leased;
    this.leased = [];
    await this.store.releaseMergeLeases(leased, this.leaseHolder);
  }

  /** Refuses to change claims once half the lease is gone: others take them as they are after the whole lease. */
  mayStillChangeClaims(): void {
    if (!mayStillChangeClaims(this.id, this.clock.now().getTime(), this.leaseMs)) {
      throw new Error(`identity resolution run ${this.id} ran past half its ${this.leaseMs} ms lease; the batch is retried`);
    }
  }

  /**
   * Re-points this run's own claims as the final plan wants them (silent: nobody has seen
   * those candidates), then marks the run settled and starts a fresh run id for any later
   * claims. Answers the keys it re-pointed.
   */
  async settle(repoints: readonly IdentityChange[], at: Date): Promise<string[]> {
    if (!this.claimed.size) return [];
    this.mayStillChangeClaims();
    const moved: string[] = [];
    for (const change of repoints) {
      if (change.kind !== 'relink' || !this.claimed.has(change.key)) continue;
      await this.store.apply(change, at);
      this.claimed.set(change.key, change.to);
      moved.push(change.key);
    }
    await this.store.markClaimRun(this.id, 'SETTLED');
    for (const customerId of this.claimed.values()) this.kept.add(customerId);
    this.claimed.clear();
    this.id = this.newId();
    return moved;
  }

  /**
   * A run that fails with claims not settled gives them back and drops its candidates, then
   * marks itself abandoned, so nobody waits out its lease. When that is not possible (the
   * database is down), its claims wait out the lease and stand as they are; past half the
   * lease it marks them settled as they are.
   */
  async giveUp(): Promise<void> {
    if (!this.claimed.size) return;
    try {
      // Too late to change them: they stand as they are (nobody waits out the lease), and so do their candidates.
      if (!mayStillChangeClaims(this.id, this.clock.now().getTime(), this.leaseMs)) {
        await this.store.markClaimRun(this.id, 'SETTLED');
        return;
      }
      await this.giveBack();
      await this.store.deleteCustomers([...this.created].filter((c) => !this.kept.has(c)));
      await this.store.markClaimRun(this.id, 'ABANDONED');
    } catch (error) {
      this.logger.warn(`resolution run ${this.id} could not give its claims back: ${(error as Error).message}`);
    }
  }

  private async giveBack(): Promise<void> {
    this.mayStillChangeClaims();
    const keys = [...this.claimed.keys()];
    await this.store.withdrawClaims(keys, this.id);
    this.claimed.clear();
    this.onYield(keys);
  }
}
