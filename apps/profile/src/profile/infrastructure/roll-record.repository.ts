import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { insertNew, nativeCollection } from '@meridian/shared';
import type { Connection } from 'mongoose';
import { RollDoc, RollProgress, RollRecords } from '../application/ports/roll-records.port';

@Injectable()
export class RollRecordRepository implements RollRecords {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get rolls() {
    return nativeCollection<RollDoc>(this.connection, 'profile_rolls');
  }

  async begin(asOf: string, partitions: number, startedAt: string): Promise<RollDoc> {
    const fresh: RollDoc = { _id: asOf, asOf, partitions, partitionsDone: [], read: 0, rolled: 0, published: 0, startedAt };
    await insertNew(this.rolls, [fresh]);
    return (await this.rolls.findOne({ _id: asOf })) ?? fresh;
  }

  async get(rollId: string): Promise<RollDoc | undefined> {
    return (await this.rolls.findOne({ _id: rollId })) ?? undefined;
  }

  async partitionDone(rollId: string, partition: number, added: RollProgress): Promise<void> {
    await this.rolls.updateOne({ _id: rollId }, { $addToSet: { partitionsDone: partition }, $inc: { read: added.read, rolled: added.rolled, published: added.published } });
  }

  async finish(rollId: string, finishedAt: string): Promise<void> {
    await this.rolls.updateOne({ _id: rollId }, { $set: { finishedAt } });
  }

  async unfinished(): Promise<RollDoc[]> {
    return this.rolls.find({ finishedAt: { $exists: false } }).sort({ _id: 1 }).toArray();
  }
}
