import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { FieldEncryption, nativeCollection } from '@meridian/shared';
import type { Connection } from 'mongoose';
import { DataKeyRewrap, StoredDataKey } from '../application/ports/data-key-rewrap.port';
import type { DataKeyDoc } from './data-key.store';

/**
 * `data_keys` as the re-wrap job walks it (ADR 0008): one cursor in `_id` order per phase of a
 * run (never a query per batch: on FerretDB v1 any filter but an `_id` equality scans the
 * collection), and re-wraps written by `_id`, conditioned on the wrapped form that was read —
 * a key erased meanwhile stays erased.
 */
@Injectable()
export class DataKeyRewrapStore implements DataKeyRewrap {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly encryption: FieldEncryption,
  ) {}

  private get keys() {
    return nativeCollection<DataKeyDoc>(this.connection, 'data_keys');
  }

  currentKeyId(): string {
    return this.encryption.keyCheck();
  }

  previousKeyIds(): string[] {
    return this.encryption.previousKeyChecks();
  }

  async *walk(after: string, batchSize: number): AsyncIterable<StoredDataKey[]> {
    const cursor = this.keys.find(after ? { _id: { $gt: after } } : {}, { sort: { _id: 1 }, projection: { wrappedKey: 1, masterKeyId: 1 }, batchSize });
    try {
      let batch: StoredDataKey[] = [];
      for await (const doc of cursor) {
        const masterKeyId = this.masterKeyIdOf(doc);
        batch.push({ customerId: doc._id, wrappedKey: doc.wrappedKey, masterKeyId });
        if (batch.length === batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    } finally {
      await cursor.close();
    }
  }

  /** Which master key wraps it; a data key no configured key opens stops the run, naming the customer (ADR 0008). */
  private masterKeyIdOf(doc: Pick<DataKeyDoc, '_id' | 'wrappedKey' | 'masterKeyId'>): string {
    try {
      return this.encryption.masterKeyIdOf({ customerId: doc._id, wrappedKey: doc.wrappedKey, masterKeyId: doc.masterKeyId });
    } catch (error) {
      throw new Error(`the data key of ${doc._id} opens under no configured master key: ${(error as Error).message}`);
    }
  }

  /** One unordered bulk write per batch; only when some matched nothing (erased meanwhile) are the keys read back to say which. */
  async rewrap(keys: readonly StoredDataKey[]): Promise<StoredDataKey[]> {
    if (!keys.length) return [];
    const next = keys.map((key) => this.encryption.rewrap({ customerId: key.customerId, wrappedKey: key.wrappedKey, masterKeyId: key.masterKeyId }));
    const result = await this.keys.bulkWrite(
      keys.map((key, i) => ({
        updateOne: { filter: { _id: key.customerId, wrappedKey: key.wrappedKey }, update: { $set: { wrappedKey: next[i].wrappedKey, masterKeyId: this.currentKeyId() } } },
      })),
      { ordered: false },
    );
    if (result.matchedCount === keys.length) return [...keys];
    const written: StoredDataKey[] = [];
    for (const [i, key] of keys.entries()) if ((await this.keys.findOne({ _id: key.customerId }))?.wrappedKey === next[i].wrappedKey) written.push(key);
    return written;
  }
}
