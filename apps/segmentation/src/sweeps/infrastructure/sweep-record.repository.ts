import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { insertNew, nativeCollection } from '@meridian/shared';
import type { Connection } from 'mongoose';
import { SweepDoc, SweepProgress, SweepRecords } from '../application/ports/sweep-records.port';

@Injectable()
export class SweepRecordRepository implements SweepRecords {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get sweeps() {
    return nativeCollection<SweepDoc>(this.connection, 'segment_sweeps');
  }

  async begin(asOf: string, partitions: number, startedAt: string): Promise<SweepDoc> {
    const fresh: SweepDoc = { _id: asOf, asOf, partitions, partitionsDone: [], read: 0, evaluated: 0, published: 0, startedAt };
    await insertNew(this.sweeps, [fresh]);
    return (await this.sweeps.findOne({ _id: asOf })) ?? fresh;
  }

  async get(sweepId: string): Promise<SweepDoc | undefined> {
    return (await this.sweeps.findOne({ _id: sweepId })) ?? undefined;
  }

  async partitionDone(sweepId: string, partition: number, added: SweepProgress): Promise<void> {
    await this.sweeps.updateOne({ _id: sweepId }, { $addToSet: { partitionsDone: partition }, $inc: { read: added.read, evaluated: added.evaluated, published: added.published } });
  }

  async finish(sweepId: string, finishedAt: string): Promise<void> {
    await this.sweeps.updateOne({ _id: sweepId }, { $set: { finishedAt } });
  }

  async unfinished(): Promise<SweepDoc[]> {
    return this.sweeps.find({ finishedAt: { $exists: false } }).sort({ _id: 1 }).toArray();
  }
}
