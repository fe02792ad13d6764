import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictException, Logger } from '@nestjs/common';

/** What a sweep counts as it goes (customers read, written, events published…), by name. */
export type SweepCounts = Record<string, number>;

/** One sweep's checkpoint (`_id` = its instant, ISO): the partitions done and what they added. */
export type SweepCheckpoint<C extends SweepCounts> = {
  _id: string;
  asOf: string;
  partitions: number;
  partitionsDone: number[];
  startedAt: string;
  finishedAt?: string;
} & C;

/** Where a sweep's checkpoints are kept (one document per sweep; `MongoSweepCheckpoints`). */
export interface SweepCheckpoints<C extends SweepCounts> {
  /** The sweep of this instant: as recorded, or begun now. */
  begin(asOf: string, partitions: number, startedAt: string): Promise<SweepCheckpoint<C>>;
  get(sweepId: string): Promise<SweepCheckpoint<C> | undefined>;
  partitionDone(sweepId: string, partition: number, added: C): Promise<void>;
  finish(sweepId: string, finishedAt: string): Promise<void>;
  /** Sweeps begun and never finished (a crash), oldest first. */
  unfinished(): Promise<Array<SweepCheckpoint<C>>>;
}

/** One sweep at a time across instances (`RedisLease`). */
export interface SweepLease {
  acquire(): Promise<string | undefined>;
  renew(token: string): Promise<boolean>;
  release(token: string): Promise<void>;
}

export interface PartitionedSweepOptions<C extends SweepCounts> {
  /** For logs and the 409 ("day roll", "sweep"). */
  name: string;
  checkpoints: SweepCheckpoints<C>;
  lease: SweepLease;
  partitions: number;
  /** How long the lease lasts unrenewed: unfinished sweeps are looked at again every quarter of it. */
  leaseMs: number;
  now: () => Date;
  /** Up to a step of the partition's ids due at `asOf`. */
  due: (partition: number, asOf: string) => Promise<string[]>;
  /** Processes a step; every id it is given leaves the due set (else the partition never ends). */
  step: (ids: string[], asOf: string) => Promise<C>;
  zero: () => C;
  onStep?: (added: C) => void;
  onPartitions?: (done: number, of: number) => void;
}

/**
 * A sweep over a due index, a partition at a time, a step at a time — never the whole base
 * (ADR 0005) — with one sweep at a time across instances (a lease renewed each step) and a
 * checkpoint per partition, so a killed sweep resumes at its first partition not done.
 * What it re-reads there must be safe to process again at the same instant (the caller's
 * step: written with its events in an outbox, decided again it changes nothing).
 */
export class PartitionedSweep<C extends SweepCounts> {
  private readonly logger: Logger;

  constructor(private readonly options: PartitionedSweepOptions<C>) {
    this.logger = new Logger(options.name);
  }

  /** Takes the lease and sweeps in the background (unfinished sweeps first); 409 while another sweep runs. */
  async start(asOf: string): Promise<SweepCheckpoint<C>> {
    const token = await this.options.lease.acquire();
    if (!token) throw new ConflictException({ title: `a ${this.options.name} is running`, detail: `one ${this.options.name} at a time: try again when it has finished (GET /v1/sweeps/{id} shows its progress)` });
    const sweep = await this.begin(new Date(asOf).toISOString(), token);
    void this.sweepAll(token).catch((error: Error) => this.logger.error(`${sweep._id} stopped (it resumes on the next start or occurrence): ${error.message}`));
    return sweep;
  }

  /** A scheduler's occurrence: unfinished sweeps, then one at the clock's instant; recorded first, so an instance already sweeping sweeps it too. */
  async runScheduled(): Promise<void> {
    const now = this.options.now().toISOString();
    await this.options.checkpoints.begin(now, this.options.partitions, now);
    const token = await this.options.lease.acquire();
    if (token) await this.sweepAll(token);
  }

  /** At start: a sweep a crash left unfinished goes on, once the dead holder's lease ran out (or its holder finished it). */
  async resumeUnfinished(stopping: () => boolean): Promise<void> {
    const pause = this.options.leaseMs / 4;
    for (let attempt = 1; !stopping(); attempt++) {
      try {
        if (!(await this.options.checkpoints.unfinished()).length) return;
        const token = await this.options.lease.acquire();
        if (token) return await this.sweepAll(token);
      } catch (error) {
        // MongoDB or Redis not there yet (the service starts before them) or gone a while: try again.
        if (attempt > 1) this.logger.warn(`unfinished ones wait (${(error as Error).message}); trying again in ${pause} ms`);
      }
      await sleep(pause);
    }
  }

  progress(sweepId: string): Promise<SweepCheckpoint<C> | undefined> {
    return this.options.checkpoints.get(sweepId);
  }

  private async begin(asOf: string, token: string): Promise<SweepCheckpoint<C>> {
    try {
      return await this.options.checkpoints.begin(asOf, this.options.partitions, this.options.now().toISOString());
    } catch (error) {
      await this.options.lease.release(token);
      throw error;
    }
  }

  /** Every unfinished sweep, oldest first, then the lease goes. */
  private async sweepAll(token: string): Promise<void> {
    try {
      // Until none is left: one recorded while these ran (a scheduled occurrence on another instance) is swept too.
      for (let left = await this.options.checkpoints.unfinished(); left.length; left = await this.options.checkpoints.unfinished()) {
        for (const sweep of left) await this.sweep(sweep, token);
      }
    } finally {
      await this.options.lease.release(token);
    }
  }

  private async sweep(sweep: SweepCheckpoint<C>, token: string): Promise<void> {
    const { checkpoints, lease } = this.options;
    const done = new Set(sweep.partitionsDone);
    this.logger.log(`${sweep._id}: ${sweep.partitions - done.size} of ${sweep.partitions} partitions to go`);
    for (let partition = 0; partition < sweep.partitions; partition++) {
      if (done.has(partition)) continue;
      const added = this.options.zero();
      for (;;) {
        const ids = await this.options.due(partition, sweep.asOf);
        if (!ids.length) break;
        const step = await this.options.step(ids, sweep.asOf);
        for (const key of Object.keys(step) as Array<keyof C>) (added[key] as number) += step[key];
        this.options.onStep?.(step);
        if (!(await lease.renew(token))) throw new Error(`the ${this.options.name} lease lapsed (another instance holds it now)`);
      }
      await checkpoints.partitionDone(sweep._id, partition, added);
      done.add(partition);
      this.options.onPartitions?.(done.size, sweep.partitions);
      this.logger.log(`${sweep._id}: partition ${partition} done (${Object.entries(added).map(([k, v]) => `${v} ${k}`).join(', ')}); ${done.size}/${sweep.partitions}`);
    }
    await checkpoints.finish(sweep._id, this.options.now().toISOString());
    this.logger.log(`${sweep._id} finished`);
  }
}
