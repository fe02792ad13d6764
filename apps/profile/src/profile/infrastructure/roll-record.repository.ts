import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { MongoSweepCheckpoints, StoredSweepCheckpoint, nativeCollection } from '@meridian/shared';
import type { Connection } from 'mongoose';
import { RollProgress, RollRecords } from '../application/ports/roll-records.port';

/** Day roll checkpoints in `profile_rolls`. */
@Injectable()
export class RollRecordRepository extends MongoSweepCheckpoints<RollProgress> implements RollRecords {
  constructor(@InjectConnection() connection: Connection) {
    super(() => nativeCollection<StoredSweepCheckpoint>(connection, 'profile_rolls'), () => ({ read: 0, rolled: 0, published: 0 }));
  }
}
