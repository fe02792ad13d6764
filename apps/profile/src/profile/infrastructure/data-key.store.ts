import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { FieldEncryption, insertNew, nativeCollection } from '@meridian/shared';
import type { Connection } from 'mongoose';
import { ProfileConfig } from '../../config/profile.config';
import { DataKeys } from '../application/ports/data-keys.port';

/** data_keys: each customer's data key, only ever stored wrapped by a master key — which one, by its check value (ADR 0008). */
export interface DataKeyDoc {
  _id: string;
  wrappedKey: string;
  /** Absent on keys wrapped before rotation recorded it. */
  masterKeyId?: string;
  createdAt: Date;
}

/**
 * Per-customer data keys (ARCHITECTURE.md principle 7): created on first need, stored
 * wrapped, unwrapped into a bounded in-memory cache. Destroying a customer's key is the
 * erasure: everything sealed with it becomes unreadable (crypto-shredding).
 */
@Injectable()
export class DataKeyStore implements DataKeys {
  private readonly cache = new Map<string, Buffer>();

  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly encryption: FieldEncryption,
    private readonly config: ProfileConfig,
  ) {}

  private get keys() {
    return nativeCollection<DataKeyDoc>(this.connection, 'data_keys');
  }

  private remember(customerId: string, key: Buffer): void {
    if (this.config.PROFILE_DATA_KEY_CACHE_SIZE === 0) return;
    const oldest = this.cache.keys().next();
    if (this.cache.size >= this.config.PROFILE_DATA_KEY_CACHE_SIZE && !oldest.done) this.cache.delete(oldest.value);
    this.cache.set(customerId, key);
  }

  /** The customers' keys, creating those that do not exist yet (concurrent creators agree: the first insert wins). */
  async keysFor(customerIds: readonly string[], at: Date): Promise<Map<string, Buffer>> {
    const out = new Map<string, Buffer>();
    const missing: string[] = [];
    for (const id of new Set(customerIds)) {
      const cached = this.cache.get(id);
      if (cached) out.set(id, cached);
      else missing.push(id);
    }
    if (!missing.length) return out;
    const fresh = missing.map((id) => ({ id, ...this.encryption.newDataKey(id) }));
    const existing = await insertNew(this.keys, fresh.map((f) => ({ _id: f.id, wrappedKey: f.wrapped.wrappedKey, masterKeyId: f.wrapped.masterKeyId, createdAt: at })));
    for (const [i, f] of fresh.entries()) {
      let key = f.dataKey;
      if (existing.has(i)) {
        const doc = await this.keys.findOne({ _id: f.id });
        if (!doc) throw new Error(`data key of ${f.id} vanished while being created`);
        key = this.encryption.unwrap({ customerId: f.id, wrappedKey: doc.wrappedKey, masterKeyId: doc.masterKeyId });
      }
      this.remember(f.id, key);
      out.set(f.id, key);
    }
    return out;
  }

  /** The key if it exists (undefined after erasure). */
  async keyOf(customerId: string): Promise<Buffer | undefined> {
    const cached = this.cache.get(customerId);
    if (cached) return cached;
    const doc = await this.keys.findOne({ _id: customerId });
    if (!doc) return undefined;
    const key = this.encryption.unwrap({ customerId, wrappedKey: doc.wrappedKey, masterKeyId: doc.masterKeyId });
    this.remember(customerId, key);
    return key;
  }

  /** Drops keys from this instance's memory (another instance erased the customer). */
  forget(customerIds: readonly string[]): void {
    for (const id of customerIds) this.cache.delete(id);
  }

  /** Crypto-shredding: the wrapped key is deleted; nothing sealed with it opens again. */
  async destroy(customerIds: readonly string[]): Promise<void> {
    for (const id of customerIds) {
      this.cache.delete(id);
      await this.keys.deleteOne({ _id: id });
    }
  }
}
