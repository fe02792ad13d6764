import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { REDIS, nativeCollection, insertNew, isDuplicateKeyError, mapLimit } from '@meridian/shared';
import type Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { IngestConfig } from '../../config/ingest.config';
import { IdentityChange, IdentityCustomerDoc, IdentityMergeDoc, IdentityOutboxDoc, IdentitySeparationDoc, IdentityStore } from '../application/ports/identity-store.port';
import { keptApartPairId } from '../domain/kept-apart';

/** identity_keys: one blind-indexed key (`<kind>:<hmac>`) and the customer it belongs to. */
export interface IdentityKeyDoc {
  _id: string;
  customerId: string;
  linkedAt: Date;
  /** The record that linked it last. */
  eventId: string;
}

/**
 * The identity map in MongoDB (the truth; every look-up by `_id`, every claim an insert)
 * with a Redis cache of key → customer in front, refreshed after every change.
 */
@Injectable()
export class IdentityRepository implements IdentityStore, OnModuleInit {
  private readonly logger = new Logger(IdentityRepository.name);
  private readonly cachePrefix: string;

  constructor(
    @InjectConnection() private readonly connection: Connection,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: IngestConfig,
  ) {
    this.cachePrefix = `${config.redisPrefix}idk:`;
  }

  private get keys() {
    return nativeCollection<IdentityKeyDoc>(this.connection, 'identity_keys');
  }
  private get customers() {
    return nativeCollection<IdentityCustomerDoc>(this.connection, 'identity_customers');
  }
  private get merges() {
    return nativeCollection<IdentityMergeDoc>(this.connection, 'identity_merges');
  }
  private get outbox() {
    return nativeCollection<IdentityOutboxDoc>(this.connection, 'identity_outbox');
  }

  /** A customer's keys are found by an index on MongoDB; FerretDB scans (merges are rare). */
  onModuleInit(): void {
    // In the background: the service starts (and reports MongoDB down) even while it is down.
    void this.connection
      .asPromise()
      .then(() => this.keys.createIndex({ customerId: 1 }))
      .catch((error: Error) => this.logger.warn(`identity_keys index not created: ${error.message}`));
  }

  get connected(): boolean {
    return this.connection.readyState === 1;
  }

  async cachedOwners(keys: readonly string[]): Promise<Map<string, string>> {
    const owners = new Map<string, string>();
    if (!keys.length) return owners;
    const values = await this.redis.mget(keys.map((k) => this.cachePrefix + k));
    keys.forEach((k, i) => {
      const owner = values[i];
      if (owner) owners.set(k, owner);
    });
    return owners;
  }

  async cacheOwners(owners: ReadonlyMap<string, string>): Promise<void> {
    if (!owners.size) return;
    const pipeline = this.redis.pipeline();
    for (const [key, customerId] of owners) pipeline.set(this.cachePrefix + key, customerId, 'EX', this.config.INGEST_IDENTITY_CACHE_TTL_SECONDS);
    await pipeline.exec();
  }

  /** Owners read from MongoDB (keys a claim found taken, or the cache did not hold). */
  async ownersOf(keys: readonly string[]): Promise<Map<string, string>> {
    const docs = await mapLimit(keys, 16, (k) => this.keys.findOne({ _id: k }, { projection: { customerId: 1 } }));
    const owners = new Map<string, string>();
    docs.forEach((d, i) => d && owners.set(keys[i], d.customerId));
    return owners;
  }

  /** Inserts the keys that nobody holds; answers those someone already held. */
  async claim(claims: ReadonlyArray<{ key: string; customerId: string; eventId: string }>, at: Date): Promise<string[]> {
    const existing = await insertNew(
      this.keys,
      claims.map((c) => ({ _id: c.key, customerId: c.customerId, linkedAt: at, eventId: c.eventId })),
    );
    return [...existing].map((i) => claims[i].key);
  }

  async createCustomers(customers: ReadonlyArray<{ customerId: string; eventId: string }>, at: Date): Promise<void> {
    await insertNew(
      this.customers,
      customers.map((c) => ({ _id: c.customerId, status: 'ACTIVE' as const, createdAt: at, eventId: c.eventId })),
    );
  }

  async deleteCustomers(customerIds: readonly string[]): Promise<void> {
    for (const _id of customerIds) await this.customers.deleteOne({ _id });
  }

  async customer(customerId: string): Promise<IdentityCustomerDoc | null> {
    return this.customers.findOne({ _id: customerId });
  }

  async merge(mergeId: string): Promise<IdentityMergeDoc | null> {
    return this.merges.findOne({ _id: mergeId });
  }

  async writeOutbox(docs: IdentityOutboxDoc[]): Promise<void> {
    const existing = await insertNew(this.outbox, docs);
    // A retry after a crash may have decided differently: the newest decision stands.
    for (const i of existing) await this.outbox.replaceOne({ _id: docs[i]._id }, docs[i]);
  }

  async deleteOutbox(ids: readonly string[]): Promise<void> {
    for (const id of ids) await this.outbox.deleteOne({ _id: id });
  }

  /** Outbox documents older than `before`: left by a crash between a change and its announcement. */
  async pendingOutbox(before: Date, limit = 100): Promise<IdentityOutboxDoc[]> {
    return this.outbox.find({ createdAt: { $lt: before } }).limit(limit).toArray();
  }

  /**
   * Makes a change, idempotently; answers the keys whose owner it set. `replay` (the outbox
   * relay, long after the change was decided): a key that has moved on since is left where
   * it is. (Merges undone since are filtered out before: undone-merges.ts.)
   */
  async apply(change: IdentityChange, at: Date, replay = false): Promise<Map<string, string>> {
    switch (change.kind) {
      case 'relink': {
        if (replay) {
          const current = await this.keys.findOne({ _id: change.key }, { projection: { customerId: 1 } });
          if (current && current.customerId !== change.from && current.customerId !== change.to) return new Map();
        }
        await this.relink(change.key, change.to, change.eventId, at);
        return new Map([[change.key, change.to]]);
      }
      case 'merge':
        return this.applyMerge(change, at);
      case 'unmerge':
        return this.applyUnmerge(change, at);
    }
  }

  private async relink(key: string, customerId: string, eventId: string, at: Date): Promise<void> {
    await this.keys.updateOne({ _id: key }, { $set: { customerId, linkedAt: at, eventId } }, { upsert: true });
  }

  private async applyMerge(change: Extract<IdentityChange, { kind: 'merge' }>, at: Date): Promise<Map<string, string>> {
    const movedKeys = (await this.keys.find({ customerId: change.mergedId }, { projection: { _id: 1 } }).toArray()).map((d) => d._id);
    const doc: IdentityMergeDoc = {
      _id: change.mergeId,
      survivorId: change.survivorId,
      mergedId: change.mergedId,
      evidence: change.evidence,
      movedKeys,
      mergedAt: at,
      eventId: change.eventId,
      status: 'ACTIVE',
    };
    try {
      await this.merges.insertOne(doc);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      // Made again after a crash: the keys recorded the first time are the ones that move.
      const first = await this.merges.findOne({ _id: change.mergeId });
      doc.movedKeys = [...new Set([...(first?.movedKeys ?? []), ...movedKeys])];
      if (first && doc.movedKeys.length !== first.movedKeys.length) await this.merges.updateOne({ _id: change.mergeId }, { $set: { movedKeys: doc.movedKeys } });
    }
    for (const key of doc.movedKeys) await this.relink(key, change.survivorId, change.eventId, at);
    await this.customers.updateOne(
      { _id: change.mergedId },
      { $set: { status: 'MERGED', mergedInto: change.survivorId, mergeId: change.mergeId }, $setOnInsert: { createdAt: at, eventId: change.eventId } },
      { upsert: true },
    );
    return new Map(doc.movedKeys.map((k) => [k, change.survivorId]));
  }

  private async applyUnmerge(change: Extract<IdentityChange, { kind: 'unmerge' }>, at: Date): Promise<Map<string, string>> {
    const merge = await this.merges.findOne({ _id: change.mergeId });
    if (!merge) throw new Error(`merge ${change.mergeId} not found`);
    await this.keepApart(merge, change, at);
    const restored = new Map<string, string>();
    for (const key of merge.movedKeys) {
      // A key that has moved on since (a reassigned phone) stays where it is now.
      const current = await this.keys.findOne({ _id: key }, { projection: { customerId: 1 } });
      if (current && current.customerId !== merge.survivorId && current.customerId !== merge.mergedId) continue;
      await this.relink(key, merge.mergedId, `unmerge:${change.mergeId}`, at);
      restored.set(key, merge.mergedId);
    }
    await this.customers.updateOne({ _id: merge.mergedId }, { $set: { status: 'ACTIVE' }, $unset: { mergedInto: '', mergeId: '' } });
    await this.merges.updateOne(
      { _id: change.mergeId },
      { $set: { status: 'UNDONE', undoneBy: change.undoneBy, undoneAt: at, ...(change.reason ? { reason: change.reason } : {}) } },
    );
    return restored;
  }

  private get separations() {
    return nativeCollection<IdentitySeparationDoc>(this.connection, 'identity_kept_apart');
  }

  /**
   * Part of the unmerge change, before any key goes back (a record read in between already
   * finds the pair kept apart). Idempotent: made again (a retry, the relay) it leaves the
   * separation this undo set as it is, lifted or not; a later undo of another merge of the
   * pair keeps it apart again and files the earlier separation in its history.
   */
  private async keepApart(merge: IdentityMergeDoc, change: Extract<IdentityChange, { kind: 'unmerge' }>, at: Date): Promise<void> {
    const _id = keptApartPairId(merge.survivorId, merge.mergedId);
    const doc: IdentitySeparationDoc = {
      _id,
      customerIds: _id.split('|'),
      status: 'ACTIVE',
      mergeId: merge._id,
      keptBy: change.undoneBy,
      keptAt: at,
      ...(change.reason ? { reason: change.reason } : {}),
    };
    if (!(await insertNew(this.separations, [doc])).size) return;
    const current = await this.separations.findOne({ _id });
    if (!current || current.mergeId === merge._id) return;
    const { _id: _pair, customerIds: _ids, history = [], ...previous } = current;
    await this.separations.replaceOne({ _id }, { ...doc, history: [...history, previous] });
  }

  async keptApart(pairIds: readonly string[]): Promise<Set<string>> {
    const docs = await mapLimit(pairIds, 16, (_id) => this.separations.findOne({ _id }, { projection: { status: 1 } }));
    return new Set(pairIds.filter((_, i) => docs[i]?.status === 'ACTIVE'));
  }

  async separation(pairId: string): Promise<IdentitySeparationDoc | null> {
    return this.separations.findOne({ _id: pairId });
  }

  /** FerretDB does not make the conditional update atomic (ADR 0005): two ADMINs lifting at once both succeed, the last one's name stays. */
  async liftSeparation(pairId: string, lift: { liftedBy: string; liftedAt: Date; liftReason: string }): Promise<IdentitySeparationDoc | null> {
    const { matchedCount } = await this.separations.updateOne({ _id: pairId, status: 'ACTIVE' }, { $set: { status: 'LIFTED', ...lift } });
    return matchedCount ? this.separations.findOne({ _id: pairId }) : null;
  }
}
