import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { insertNew, nativeCollection } from '@meridian/shared';
import type { Connection } from 'mongoose';
import { BackfillProgress, SegmentBackfillDoc, SegmentBackfills } from '../application/ports/segment-backfills.port';

/** segment_backfills on MongoDB: by `_id` (the segment), each write conditional on the version it is for. */
@Injectable()
export class SegmentBackfillRepository implements SegmentBackfills {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get backfills() {
    return nativeCollection<SegmentBackfillDoc>(this.connection, 'segment_backfills');
  }

  async get(segmentId: string): Promise<SegmentBackfillDoc | undefined> {
    return (await this.backfills.findOne({ _id: segmentId })) ?? undefined;
  }

  all(): Promise<SegmentBackfillDoc[]> {
    return this.backfills.find({}).toArray();
  }

  async begin(segmentId: string, version: number, startedAt: string): Promise<SegmentBackfillDoc> {
    const fresh: SegmentBackfillDoc = { _id: segmentId, version, state: 'RUNNING', read: 0, entered: 0, exited: 0, startedAt };
    for (;;) {
      const found = await this.get(segmentId);
      if (found && found.version >= version) return found;
      if (!found && (await insertNew(this.backfills, [fresh])).size === 0) return fresh;
      if (found && (await this.backfills.replaceOne({ _id: segmentId, version: found.version }, fresh)).matchedCount === 1) return fresh;
    }
  }

  async checkpoint(segmentId: string, version: number, lastId: string, added: BackfillProgress): Promise<boolean> {
    const { matchedCount } = await this.backfills.updateOne({ _id: segmentId, version, state: 'RUNNING' }, { $set: { lastId }, $inc: { read: added.read, entered: added.entered, exited: added.exited } });
    return matchedCount === 1;
  }

  async finish(segmentId: string, version: number, finishedAt: string): Promise<boolean> {
    const { matchedCount } = await this.backfills.updateOne({ _id: segmentId, version, state: 'RUNNING' }, { $set: { state: 'DONE', finishedAt } });
    return matchedCount === 1;
  }
}
