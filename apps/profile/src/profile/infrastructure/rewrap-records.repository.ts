import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { masterKeyRotatedAt, nativeCollection, readMasterKeyRing, retireMasterKeys } from '@meridian/shared';
import type { Connection } from 'mongoose';
import { RewrapRecords } from '../application/ports/rewrap-records.port';
import type { RewrapCheckpoint } from '../domain/rewrap-progress';

type CheckpointDoc = RewrapCheckpoint & { _id: string };

/**
 * The re-wrap job's checkpoint (`key_rewraps`, `_id` = the target key id: one per master key
 * rotated to, written by the one run that holds the job) and the master key record of
 * `key_checks` that the start-up check reads (libs/shared master-key-ring).
 */
@Injectable()
export class RewrapRecordsRepository implements RewrapRecords {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get checkpoints() {
    return nativeCollection<CheckpointDoc>(this.connection, 'key_rewraps');
  }

  async checkpoint(target: string): Promise<RewrapCheckpoint | undefined> {
    const doc = await this.checkpoints.findOne({ _id: target });
    if (!doc) return undefined;
    const { _id, ...checkpoint } = doc;
    return checkpoint;
  }

  async save(checkpoint: RewrapCheckpoint): Promise<void> {
    await this.checkpoints.replaceOne({ _id: checkpoint.target }, { ...checkpoint }, { upsert: true });
  }

  async stillWrapping(): Promise<string[]> {
    return (await readMasterKeyRing(this.connection))?.retiring ?? [];
  }

  rotationBeganAt(): Promise<Date | undefined> {
    return masterKeyRotatedAt(this.connection);
  }

  async retire(target: string, at: Date): Promise<void> {
    await retireMasterKeys(this.connection, target, at);
  }
}
