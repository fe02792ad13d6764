import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { insertNew, nativeCollection } from '@meridian/shared';
import type { Connection } from 'mongoose';
import { SweepDoc, SweepProgress, SweepRecords, SweepRfmStep } from '../application/ports/sweep-records.port';

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

  async rfmMeasured(sweepId: string, step: SweepRfmStep): Promise<SweepRfmStep> {
    await this.sweeps.updateOne({ _id: sweepId, rfm: { $exists: false } }, { $set: { rfm: step } });
    return (await this.get(sweepId))?.rfm ?? step;
  }

  async rfmRescored(sweepId: string, lastId: string | undefined, added: Pick<SweepRfmStep, 'read' | 'rescored' | 'published'>, done: boolean): Promise<void> {
    await this.sweeps.updateOne(
      { _id: sweepId },
      { $set: { ...(lastId !== undefined && { 'rfm.rescoredThrough': lastId }), 'rfm.done': done }, $inc: { 'rfm.read': added.read, 'rfm.rescored': added.rescored, 'rfm.published': added.published } },
    );
  }

  async unfinished(): Promise<SweepDoc[]> {
    return this.sweeps.find({ finishedAt: { $exists: false } }).sort({ _id: 1 }).toArray();
  }
}
