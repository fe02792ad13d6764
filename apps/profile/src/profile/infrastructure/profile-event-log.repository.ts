import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { KeyedMutex, insertNew, mapLimit, nativeCollection } from '@meridian/shared';
import type { Connection, mongo } from 'mongoose';
import { ProfileConfig } from '../../config/profile.config';
import { ProfileEventDoc, ProfileEventLog, TimelineCursor } from '../application/ports/profile-event-log.port';
import { eventIdOfTimelineKey, timelineKey } from '../domain/timeline-order';
import { fillRange, inRange, rangeEnd, rangeHolding } from '../domain/timeline-ranges';

/** timeline_roots: `_id` customerId → the bounds of its pages, newest first (absent: one page, bound ''). */
interface TimelineRootDoc {
  _id: string;
  pages: string[];
}

/** timeline_pages: `_id` `customerId|<bound>` → the bounds of its buckets, newest first (absent: one bucket, the page's bound). */
interface TimelinePageDoc {
  _id: string;
  buckets: string[];
}

/** timeline_buckets: `_id` `customerId|<bound>` → at most the cap of timeline keys, newest first (no PII: time and eventId). */
interface TimelineBucketDoc {
  _id: string;
  keys: string[];
}

const nodeId = (customerId: string, from: string) => `${customerId}|${from}`;
const isDoc = <T>(d: T | null | undefined): d is T => !!d;

/** A run's index writes, one unordered bulkWrite per collection and step (ProfileEventLogRepository.index). */
class IndexWrites {
  readonly buckets: Array<mongo.AnyBulkWriteOperation<TimelineBucketDoc>> = [];
  readonly pages: Array<mongo.AnyBulkWriteOperation<TimelinePageDoc>> = [];
  readonly roots: Array<mongo.AnyBulkWriteOperation<TimelineRootDoc>> = [];
  /** Split nodes keep their old entries until the lists naming their new siblings are written. */
  readonly trimmedPages: Array<mongo.AnyBulkWriteOperation<TimelinePageDoc>> = [];
  readonly trimmedBuckets: Array<mongo.AnyBulkWriteOperation<TimelineBucketDoc>> = [];
}

const set = <T extends { _id: string }>(_id: string, fields: Omit<T, '_id'>): mongo.AnyBulkWriteOperation<T> =>
  ({ updateOne: { filter: { _id }, update: { $set: fields }, upsert: true } }) as mongo.AnyBulkWriteOperation<T>;

/**
 * The event log (profile_events, by eventId) and the timeline index that pages it by key
 * (ARCHITECTURE.md principle 9; ADR 0007): per customer a root of pages, pages of buckets,
 * buckets of at most PROFILE_TIMELINE_BUCKET_KEYS keys, each a key range (domain/timeline-ranges.ts).
 * A page reads each owner's root, then its pages and buckets from the cursor back until the
 * page is full, then the page's events — `_id` look-ups only, which is all the FerretDB here
 * pushes down. A run reads and rewrites only the nodes its keys fall in: its cost does not
 * grow with the customer's history or the month's volume.
 */
@Injectable()
export class ProfileEventLogRepository implements ProfileEventLog, OnModuleInit {
  private readonly logger = new Logger(ProfileEventLogRepository.name);
  /** Documents read so far (events and index nodes): what a page costs is observable, not guessed. */
  documentsRead = 0;

  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly locks: KeyedMutex,
    private readonly config: ProfileConfig,
  ) {}

  private get events() {
    return nativeCollection<ProfileEventDoc>(this.connection, 'profile_events');
  }
  private get roots() {
    return nativeCollection<TimelineRootDoc>(this.connection, 'timeline_roots');
  }
  private get pages() {
    return nativeCollection<TimelinePageDoc>(this.connection, 'timeline_pages');
  }
  private get buckets() {
    return nativeCollection<TimelineBucketDoc>(this.connection, 'timeline_buckets');
  }

  /** A customer's events by customerId, for rebuilds and export: an index on MongoDB (FerretDB scans; both are rare). */
  onModuleInit(): void {
    void this.connection
      .asPromise()
      .then(() => this.events.createIndex({ customerId: 1, occurredAt: -1 }))
      .catch((error: Error) => this.logger.warn(`profile_events index not created: ${error.message}`));
  }

  /**
   * Logs, then indexes. An event logged before is filed as it was logged (its customer, its
   * time), never as it came again: a record re-sent after an unmerge or a relink may name
   * another customer, and its stored copy still belongs to the first.
   */
  async logEvents(docs: ProfileEventDoc[]): Promise<Set<number>> {
    const existing = await insertNew(this.events, docs);
    const stored = new Map((await this.logged([...existing].map((k) => docs[k]._id))).filter(isDoc).map((d) => [d._id, d]));
    await this.index(docs.map((d) => stored.get(d._id) ?? d));
    return existing;
  }

  private async readOne<T extends { _id: string }>(collection: mongo.Collection<T>, _id: string): Promise<T | null> {
    const doc = (await collection.findOne({ _id } as mongo.Filter<T>)) as T | null;
    if (doc) this.documentsRead++;
    return doc;
  }

  /**
   * Files each event under its customer: reads the customer's root, the pages and buckets its
   * keys fall in, and writes back only what changed. One writer per customer (ADR 0007: the
   * partition's owner; in this process the lock, as runs of several topics are consumed at
   * once), so reading then writing a customer's own nodes is safe. Idempotent: a redelivered
   * run files its keys again and writes nothing new.
   */
  private async index(docs: readonly ProfileEventDoc[]): Promise<void> {
    const byCustomer = groupBy(docs.map((d) => ({ customerId: d.customerId, key: timelineKey(d.occurredAt, d._id) })), (d) => d.customerId);
    if (!byCustomer.size) return;
    await this.locks.run([...byCustomer.keys()].map((c) => `timeline:${c}`), async () => {
      const writes = new IndexWrites();
      await mapLimit([...byCustomer], 8, ([customerId, filed]) => this.planCustomer(customerId, filed.map((d) => d.key), writes));
      // New nodes first, then the lists naming them, then the split nodes trimmed: a run cut short anywhere
      // leaves every key reachable (a reader keeps each node's entries to its range), and its redelivery finishes it.
      const bulk = async <T extends { _id: string }>(collection: mongo.Collection<T>, ops: Array<mongo.AnyBulkWriteOperation<T>>) => {
        if (ops.length) await collection.bulkWrite(ops, { ordered: false });
      };
      await bulk(this.buckets, writes.buckets);
      await bulk(this.pages, writes.pages);
      await bulk(this.roots, writes.roots);
      await bulk(this.pages, writes.trimmedPages);
      await bulk(this.buckets, writes.trimmedBuckets);
    });
  }

  private async planCustomer(customerId: string, keys: readonly string[], writes: IndexWrites): Promise<void> {
    const cap = this.config.PROFILE_TIMELINE_BUCKET_KEYS;
    const pageFroms = (await this.readOne(this.roots, customerId))?.pages ?? [''];
    const newPages = (
      await mapLimit([...groupBy(keys, (k) => rangeHolding(pageFroms, k))], 4, async ([pageFrom, pageKeys]) => {
        const pageEnd = rangeEnd(pageFroms, pageFrom);
        const bucketFroms = ((await this.readOne(this.pages, nodeId(customerId, pageFrom)))?.buckets ?? [pageFrom]).filter((b) => inRange(b, pageFrom, pageEnd));
        const newBuckets = (
          await mapLimit([...groupBy(pageKeys, (k) => rangeHolding(bucketFroms, k))], 4, async ([bucketFrom, bucketKeys]) => {
            const stored = (await this.readOne(this.buckets, nodeId(customerId, bucketFrom)))?.keys ?? [];
            if (bucketKeys.every((k) => stored.includes(k))) return [];
            const nodes = fillRange(bucketFrom, rangeEnd(bucketFroms, bucketFrom) ?? pageEnd, stored, bucketKeys, cap);
            return this.split(customerId, nodes, writes.buckets, writes.trimmedBuckets, (entries) => ({ keys: entries }));
          })
        ).flat();
        // A bucket already listed (most runs): the page is not written.
        if (!newBuckets.length) return [];
        const nodes = fillRange(pageFrom, pageEnd, bucketFroms, newBuckets, cap);
        return this.split(customerId, nodes, writes.pages, writes.trimmedPages, (entries) => ({ buckets: entries }));
      })
    ).flat();
    // The root lists pages of up to `cap` buckets of up to `cap` keys: a million keys per page at the default.
    if (newPages.length) writes.roots.push(set<TimelineRootDoc>(customerId, { pages: [...new Set([...pageFroms, ...newPages])].sort().reverse() }));
  }

  /** Queues a filled node's writes: its new siblings now, itself after the lists (trimmed) when it was split; answers the new bounds. */
  private split<T extends { _id: string }>(
    customerId: string,
    nodes: ReturnType<typeof fillRange>,
    now: Array<mongo.AnyBulkWriteOperation<T>>,
    trimmed: Array<mongo.AnyBulkWriteOperation<T>>,
    fields: (entries: string[]) => Omit<T, '_id'>,
  ): string[] {
    const newer = nodes.slice(0, -1);
    const oldest = nodes[nodes.length - 1];
    for (const n of newer) now.push(set<T>(nodeId(customerId, n.from), fields(n.entries)));
    (newer.length ? trimmed : now).push(set<T>(nodeId(customerId, oldest.from), fields(oldest.entries)));
    return newer.map((n) => n.from);
  }

  async logged(eventIds: readonly string[]): Promise<Array<ProfileEventDoc | null>> {
    const docs = await mapLimit(eventIds, 16, (id) => this.events.findOne({ _id: id }));
    this.documentsRead += docs.filter((d) => d).length;
    return docs;
  }

  async eventsOf(customerIds: readonly string[]): Promise<ProfileEventDoc[]> {
    const docs = await this.events.find({ customerId: { $in: [...customerIds] } }).toArray();
    this.documentsRead += docs.length;
    return docs;
  }

  /**
   * A page, newest first, strictly before the cursor: each owner's newest `limit` keys, then
   * `limit` events. An event whose stored customer is not one of the owners (an index entry
   * filed under the wrong customer by an earlier release) is not shown.
   */
  async timeline(customerIds: readonly string[], limit: number, before?: TimelineCursor): Promise<ProfileEventDoc[]> {
    const owners = [...new Set(customerIds)];
    const cursorKey = before && timelineKey(before.occurredAt, before.eventId);
    const keys = (await mapLimit(owners, 8, (id) => this.newestKeys(id, limit, cursorKey))).flat();
    const page = [...new Set(keys)].sort().reverse().slice(0, limit);
    return (await this.logged(page.map(eventIdOfTimelineKey))).filter((d): d is ProfileEventDoc => !!d && owners.includes(d.customerId));
  }

  /** One customer's newest `limit` keys below the cursor: its root, then pages and buckets newest first until there are enough. */
  private async newestKeys(customerId: string, limit: number, cursorKey?: string): Promise<string[]> {
    const below = (from: string) => !cursorKey || from < cursorKey;
    const pageFroms = (await this.readOne(this.roots, customerId))?.pages ?? [''];
    const keys: string[] = [];
    for (const pageFrom of pageFroms.filter(below)) {
      if (keys.length >= limit) break;
      const pageEnd = rangeEnd(pageFroms, pageFrom);
      const bucketFroms = ((await this.readOne(this.pages, nodeId(customerId, pageFrom)))?.buckets ?? [pageFrom]).filter((b) => inRange(b, pageFrom, pageEnd));
      for (const bucketFrom of bucketFroms.filter(below)) {
        // Ranges are read newest first: once there are enough keys, no older range holds a newer one.
        if (keys.length >= limit) break;
        const bucketEnd = rangeEnd(bucketFroms, bucketFrom) ?? pageEnd;
        const bucket = await this.readOne(this.buckets, nodeId(customerId, bucketFrom));
        keys.push(...(bucket?.keys ?? []).filter((k) => inRange(k, bucketFrom, bucketEnd) && (!cursorKey || k < cursorKey)));
      }
    }
    return keys;
  }

  /** Erasure: every index document of these customers, by key (buckets, then pages, then the root: a cut-short erasure is finished by the next). */
  async forgetTimelineOf(customerIds: readonly string[]): Promise<void> {
    await mapLimit([...new Set(customerIds)], 4, async (customerId) => {
      const pageFroms = (await this.readOne(this.roots, customerId))?.pages ?? [''];
      const pages = await mapLimit(pageFroms, 8, async (from) => ({ from, buckets: (await this.readOne(this.pages, nodeId(customerId, from)))?.buckets ?? [from] }));
      const remove = async <T extends { _id: string }>(collection: mongo.Collection<T>, ids: string[]) => {
        await collection.bulkWrite(ids.map((_id) => ({ deleteOne: { filter: { _id } } }) as mongo.AnyBulkWriteOperation<T>), { ordered: false });
      };
      await remove(this.buckets, pages.flatMap((p) => p.buckets.map((b) => nodeId(customerId, b))));
      await remove(this.pages, pageFroms.map((from) => nodeId(customerId, from)));
      await remove(this.roots, [customerId]);
    });
  }
}

function groupBy<T>(items: readonly T[], group: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const g = group(item);
    out.set(g, out.get(g) ?? []).get(g)?.push(item);
  }
  return out;
}
