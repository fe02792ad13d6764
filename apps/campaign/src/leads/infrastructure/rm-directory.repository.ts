import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { nativeCollection } from '@meridian/shared';
import type { Connection } from 'mongoose';
import { RmDirectory, RosterRm } from '../application/ports/rm-roster.port';

type RmDoc = Omit<RosterRm, 'rmId'> & { _id: string };

/** `rms` in MongoDB, `_id` = rmId: the roster's lasting copy (a bank's few hundred RMs, read whole only to fill an empty Redis). */
@Injectable()
export class RmDirectoryRepository implements RmDirectory {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get rms() {
    return nativeCollection<RmDoc>(this.connection, 'rms');
  }

  async put({ rmId, ...rm }: RosterRm): Promise<void> {
    await this.rms.replaceOne({ _id: rmId }, { ...rm }, { upsert: true });
  }

  async all(): Promise<RosterRm[]> {
    return (await this.rms.find({}).toArray()).map(({ _id, ...rm }) => ({ rmId: _id, ...rm }));
  }
}
