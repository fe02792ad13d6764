import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { REDIS, nativeCollection, insertNew, isDuplicateKeyError, mapLimit } from '@meridian/shared';
import type Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { IngestConfig } from '../../config/ingest.config';
import { IdentityChange, IdentityCustomerDoc, IdentityMergeDoc, IdentityOutboxDoc, IdentitySeparationDoc, IdentityStore, KeyClaim } from '../application/ports/identity-store.port';
import { ClaimRunStatus } from '../domain/claim-settlement';
import { keptApartPairId } from '../domain/kept-apart';

/** identity_keys: one blind-indexed key (`<kind>:<hmac>`) and the customer it belongs to. */
export interface IdentityKeyDoc {
  _id: string;
  customerId: string;
  linkedAt: Date;
  /** The record that linked it last. */
  eventId: string;
  /** The resolution run that claimed it (ADR 0006: its owner stands once that run settled). */
  claimRun?: string;
}

/** identity_merge_leases: a customer being merged, and by which run, until when (a unique `_id` insert serialises merges). */
interface MergeLeaseDoc {
  _id: string;
  holder: string;
  until: Date;
}

const RUN_MARKS: Record<ClaimRunStatus, string> = { SETTLED: 'S', ABANDONED: 'A' };
const RUN_STATUSES: Record<string, ClaimRunStatus> = { S: 'SETTLED', A: 'ABANDONED' };

/**
 * Sets a cached owner (`<version>|<customerId>`) only when its version is newer than the
 * cached one's (an entry written by cacheOwners, or by an older release, counts as 0), or
 * removes it when the key has no owner any more.
 */
const SET_IF_NEWER = `
local cur = redis.call('GET', KEYS[1])
local v = 0
if cur then local m = string.match(cur, '^(%d+)|') if m then v = tonumber(m) end end
if tonumber(ARGV[1]) > v then
  if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'EX', ARGV[3]) end
end
return 0`;

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
  private get mergeLeases() {
    return nativeCollection<MergeLeaseDoc>(this.connection, 'identity_merge_leases');
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
      const value = values[i];
      // `<version>|<customerId>`; a bare customer id was written by an older release.
      if (value) owners.set(k, value.slice(value.indexOf('|') + 1));
    });
    return owners;
  }

  async cacheOwners(owners: ReadonlyMap<string, string>): Promise<void> {
    if (!owners.size) return;
    const pipeline = this.redis.pipeline();
    for (const [key, customerId] of owners) pipeline.set(this.cachePrefix + key, `0|${customerId}`, 'EX', this.config.INGEST_IDENTITY_CACHE_TTL_SECONDS, 'NX');
    await pipeline.exec();
  }

  /**
   * A version from a per-key counter taken AFTER the change was written, then the owner read
   * AFTER that: the writer holding the highest version read the map after every write that
   * took a lower one, so the newest owner is the one that stays cached.
   */
  async refreshCachedOwners(keys: readonly string[]): Promise<void> {
    if (!keys.length) return;
    const ttl = this.config.INGEST_IDENTITY_CACHE_TTL_SECONDS;
    const counters = this.redis.pipeline();
    for (const key of keys) counters.incr(`${this.config.redisPrefix}idkv:${key}`).expire(`${this.config.redisPrefix}idkv:${key}`, ttl);
    const replies = (await counters.exec()) ?? [];
    const versions = keys.map((_, i) => {
      const [error, version] = replies[2 * i] ?? [];
      if (error) throw error;
      return Number(version);
    });
    const now = await this.claimsOf(keys);
    const sets = this.redis.pipeline();
    keys.forEach((key, i) => sets.eval(SET_IF_NEWER, 1, this.cachePrefix + key, versions[i], now.get(key)?.customerId ?? '', ttl));
    for (const [error] of (await sets.exec()) ?? []) if (error) throw error;
  }

  async claimsOf(keys: readonly string[]): Promise<Map<string, KeyClaim>> {
    const docs = await mapLimit(keys, 16, (k) => this.keys.findOne({ _id: k }, { projection: { customerId: 1, claimRun: 1 } }));
    const claims = new Map<string, KeyClaim>();
    docs.forEach((d, i) => d && claims.set(keys[i], { customerId: d.customerId, ...(d.claimRun ? { claimRun: d.claimRun } : {}) }));
    return claims;
  }

  async claim(claims: ReadonlyArray<{ key: string; customerId: string; eventId: string }>, at: Date, run: string): Promise<string[]> {
    const existing = await insertNew(
      this.keys,
      claims.map((c) => ({ _id: c.key, customerId: c.customerId, linkedAt: at, eventId: c.eventId, claimRun: run })),
    );
    return [...existing].map((i) => claims[i].key);
  }

  async withdrawClaims(keys: readonly string[], run: string): Promise<void> {
    await mapLimit(keys, 16, (_id) => this.keys.deleteOne({ _id, claimRun: run }));
  }

  private runKey(run: string): string {
    return `${this.config.redisPrefix}idrun:${run}`;
  }

  async claimRunStatuses(runs: readonly string[]): Promise<Map<string, ClaimRunStatus>> {
    const statuses = new Map<string, ClaimRunStatus>();
    if (!runs.length) return statuses;
    const marks = await this.redis.mget(runs.map((r) => this.runKey(r)));
    runs.forEach((r, i) => {
      const mark = marks[i];
      const status = mark ? RUN_STATUSES[mark] : undefined;
      if (status) statuses.set(r, status);
    });
    return statuses;
  }

  /**
   * In Redis: the mark matters only while the run's claims are younger than the lease (after
   * it they stand as they are), so it outlives the lease many times over, then goes. Lost
   * marks (a Redis restart) only make others wait out the lease.
   */
  async markClaimRun(run: string, status: ClaimRunStatus): Promise<ClaimRunStatus> {
    const ttl = Math.max(3600, 10 * this.config.INGEST_IDENTITY_LEASE_SECONDS);
    if (await this.redis.set(this.runKey(run), RUN_MARKS[status], 'EX', ttl, 'NX')) return status;
    const mark = await this.redis.get(this.runKey(run));
    return (mark && RUN_STATUSES[mark]) || status;
  }

  async tryMergeLease(customerId: string, holder: string, until: Date, now: Date): Promise<boolean> {
    for (let attempt = 0; attempt < 2; attempt++) {
      if (!(await insertNew(this.mergeLeases, [{ _id: customerId, holder, until }])).size) return true;
      const current = await this.mergeLeases.findOne({ _id: customerId });
      if (current?.holder === holder) return true;
      if (current && current.until > now) return false;
      // Its holder outlived the lease (a crash): take it over.
      if (current) await this.mergeLeases.deleteOne({ _id: customerId, holder: current.holder });
    }
    return false;
  }

  async renewMergeLeases(customerIds: readonly string[], holder: string, until: Date): Promise<boolean> {
    const renewed = await mapLimit(customerIds, 16, (_id) => this.mergeLeases.updateOne({ _id, holder }, { $set: { until } }));
    return renewed.every((r) => r.matchedCount === 1);
  }

  async releaseMergeLeases(customerIds: readonly string[], holder: string): Promise<void> {
    for (const _id of customerIds) await this.mergeLeases.deleteOne({ _id, holder });
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
    // A settled change: the key is nobody's claim any more (a run giving its claims back leaves it alone).
    await this.keys.updateOne({ _id: key }, { $set: { customerId, linkedAt: at, eventId }, $unset: { claimRun: '' } }, { upsert: true });
  }

  /**
   * Makes a batch's changes in order. The merged customers' keys are read with one filter for
   * the whole batch (FerretDB scans it: ADR 0005), then followed through the batch's own
   * changes, instead of one scan per merge.
   */
  async applyAll(changes: readonly IdentityChange[], at: Date, each?: () => Promise<void>): Promise<Set<string>> {
    const keysOf = new Map<string, Set<string>>();
    for (const c of changes) if (c.kind === 'merge') keysOf.set(c.mergedId, new Set());
    if (keysOf.size) {
      const docs = await this.keys.find({ customerId: { $in: [...keysOf.keys()] } }, { projection: { _id: 1, customerId: 1 } }).toArray();
      for (const d of docs) keysOf.get(d.customerId)?.add(d._id);
    }
    const changed = new Set<string>();
    for (const change of changes) {
      const owners = change.kind === 'merge' ? await this.applyMerge(change, at, [...(keysOf.get(change.mergedId) ?? [])]) : await this.apply(change, at);
      for (const [key, owner] of owners) {
        changed.add(key);
        for (const held of keysOf.values()) held.delete(key);
        keysOf.get(owner)?.add(key);
      }
      await each?.();
    }
    return changed;
  }

  private async applyMerge(change: Extract<IdentityChange, { kind: 'merge' }>, at: Date, knownKeys?: string[]): Promise<Map<string, string>> {
    const movedKeys = knownKeys ?? (await this.keys.find({ customerId: change.mergedId }, { projection: { _id: 1 } }).toArray()).map((d) => d._id);
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
