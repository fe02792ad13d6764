import type { mongo } from 'mongoose';
import { insertNew } from '../mongo/insert-new';
import { SweepCheckpoint, SweepCheckpoints, SweepCounts } from './partitioned-sweep';

/**
 * Sweep checkpoints in a MongoDB collection, one document per sweep (its instant as `_id`):
 * every read is by `_id` but `unfinished`, which reads the collection whole — one document
 * a day, so cheap (ADR 0005).
 */
/** How the collection is typed: only `_id` is read by the driver. */
export type StoredSweepCheckpoint = mongo.Document & { _id: string };

export class MongoSweepCheckpoints<C extends SweepCounts> implements SweepCheckpoints<C> {
  constructor(
    private readonly collection: () => mongo.Collection<StoredSweepCheckpoint>,
    private readonly zero: () => C,
  ) {}

  async begin(asOf: string, partitions: number, startedAt: string): Promise<SweepCheckpoint<C>> {
    const fresh = { _id: asOf, asOf, partitions, partitionsDone: [], startedAt, ...this.zero() } as SweepCheckpoint<C>;
    await insertNew(this.collection(), [fresh as StoredSweepCheckpoint]);
    return (await this.get(asOf)) ?? fresh;
  }

  async get(sweepId: string): Promise<SweepCheckpoint<C> | undefined> {
    return ((await this.collection().findOne({ _id: sweepId })) as unknown as SweepCheckpoint<C> | null) ?? undefined;
  }

  async partitionDone(sweepId: string, partition: number, added: C): Promise<void> {
    await this.collection().updateOne({ _id: sweepId }, { $addToSet: { partitionsDone: partition }, $inc: added });
  }

  async finish(sweepId: string, finishedAt: string): Promise<void> {
    await this.collection().updateOne({ _id: sweepId }, { $set: { finishedAt } });
  }

  async unfinished(): Promise<Array<SweepCheckpoint<C>>> {
    return (await this.collection().find({ finishedAt: { $exists: false } }).sort({ _id: 1 }).toArray()) as unknown as Array<SweepCheckpoint<C>>;
  }
}
