import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { REDIS, isDuplicateKeyError, mapLimit, nativeCollection } from '@meridian/shared';
import type Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { SegmentationConfig } from '../../config/segmentation.config';
import { withoutUndefined } from '@meridian/events/rules';
import { SegmentStateDoc, SegmentStateStore, StateSave } from '../application/ports/segment-state-store.port';

/** Caches `<rev>\n<document>` unless the cache already holds that rev or a newer one. */
const SET_IF_NEWER = `
local current = redis.call('GET', KEYS[1])
if current then
  local rev = string.match(current, '^(%d+)\\n')
  if rev and tonumber(rev) >= tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1`;

/**
 * How a document is stored: what a query may read (status, version, instant, facts,
 * memberships) as fields, and the rest — the features kept for the sweep, the tier's grace,
 * the outbox and the effects — as one JSON string: FerretDB v1 writes a nested document
 * field by field into SQLite, and a string in one piece (measured: a 500-document bulk
 * replace takes 40 % less time so). On MongoDB it costs nothing.
 */
type StoredState = Omit<SegmentStateDoc, 'features' | 'tier' | 'outbox' | 'effects'> & { body: string };

const BODY_FIELDS = ['features', 'tier', 'outbox', 'effects'] as const;

function toStored(doc: SegmentStateDoc): StoredState {
  const fields = withoutUndefined(doc) as Record<string, unknown>;
  const body: Record<string, unknown> = {};
  for (const k of BODY_FIELDS) {
    if (k in fields) body[k] = fields[k];
    delete fields[k];
  }
  return { ...(fields as Omit<StoredState, 'body'>), body: JSON.stringify(body) };
}

function fromStored(stored: StoredState | null): SegmentStateDoc | undefined {
  if (!stored) return undefined;
  const { body, ...fields } = stored;
  return { ...fields, ...(JSON.parse(body) as object) } as SegmentStateDoc;
}

/** Takes a claim that is free or holds the same fingerprint; KEYS[1] the claim, ARGV: fingerprint, ms. */
const CLAIM = `
local held = redis.call('GET', KEYS[1])
if held and held ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/** Releases a claim still holding this fingerprint. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1`;

/** What a write decided, without what differs between two makings of the same decision (its random write id). */
function fingerprint(doc: SegmentStateDoc): string {
  const { writeId: _writeId, ...decided } = doc;
  return createHash('sha256').update(JSON.stringify(decided)).digest('base64url');
}

type VersionedCache = Redis & { segmentStateSetIfNewer(key: string, rev: number, value: string, ttlSeconds: number): Promise<number> };

/**
 * segment_states on MongoDB, read and written by `_id` only (ADR 0005), `rev` the
 * optimistic-concurrency token, with a Redis read-through cache of the documents: a
 * MongoDB-wire read costs milliseconds (FerretDB v1 serialises them), a cached one
 * microseconds. The cache never decides a write — a stale copy fails the `rev` check and
 * the writer reads MongoDB — and no fill replaces a newer rev with an older one.
 */
@Injectable()
export class SegmentStateRepository implements SegmentStateStore {
  private readonly cachePrefix: string;
  private readonly claimPrefix: string;

  constructor(
    @InjectConnection() private readonly connection: Connection,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: SegmentationConfig,
  ) {
    this.cachePrefix = `${config.redisPrefix}seg:state:`;
    this.claimPrefix = `${config.redisPrefix}seg:claim:`;
    if (!('segmentStateSetIfNewer' in redis)) redis.defineCommand('segmentStateSetIfNewer', { numberOfKeys: 1, lua: SET_IF_NEWER });
  }

  private get states() {
    return nativeCollection<StoredState>(this.connection, 'segment_states');
  }

  async load(customerIds: readonly string[]): Promise<Map<string, SegmentStateDoc>> {
    const ids = [...new Set(customerIds)];
    const out = new Map<string, SegmentStateDoc>();
    if (!ids.length) return out;
    const cached = await this.redis.mget(ids.map((id) => this.cachePrefix + id));
    const missing = ids.filter((id, i) => {
      const hit = cached[i];
      const newline = hit ? hit.indexOf('\n') : -1;
      if (hit && newline > 0) out.set(id, JSON.parse(hit.slice(newline + 1)) as SegmentStateDoc);
      return !out.has(id);
    });
    const docs = (await mapLimit(missing, 16, (id) => this.states.findOne({ _id: id }))).map(fromStored);
    for (const doc of docs) if (doc) out.set(doc._id, doc);
    await this.cacheAll(docs.filter((d): d is SegmentStateDoc => !!d));
    return out;
  }

  async loadFresh(customerId: string): Promise<SegmentStateDoc | undefined> {
    return fromStored(await this.states.findOne({ _id: customerId }));
  }

  /**
   * One round trip for the new documents and one for the replaced ones. The driver writes an
   * absent field as null (read back, `null !== undefined`): absent fields are left out (toStored).
   */
  async saveAll(all: readonly StateSave[]): Promise<Set<string>> {
    const failed = await this.claim(all);
    const saves = all.filter((s) => !failed.has(s.doc._id));
    const fresh = saves.filter((s) => s.previousRev === undefined).map((s) => toStored(s.doc));
    const replaced = saves.filter((s) => s.previousRev !== undefined);
    if (fresh.length) {
      try {
        await this.states.insertMany(fresh, { ordered: false });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // Which ones another writer created first: they do not hold this write's rev.
        for (const doc of fresh) if ((await this.loadFresh(doc._id))?.writeId !== doc.writeId) failed.add(doc._id);
      }
    }
    if (replaced.length) {
      const result = await this.states.bulkWrite(
        replaced.map(({ doc, previousRev }) => {
          const { _id, ...rest } = toStored(doc);
          return { replaceOne: { filter: { _id, rev: previousRev }, replacement: rest } };
        }),
        { ordered: false },
      );
      if (result.matchedCount < replaced.length) {
        for (const { doc } of replaced) if ((await this.loadFresh(doc._id))?.writeId !== doc.writeId) failed.add(doc._id);
      }
    }
    await this.cacheAll(saves.filter((s) => !failed.has(s.doc._id)).map((s) => s.doc));
    await this.release(saves);
    return failed;
  }

  /**
   * One writer per customer and rev across instances and processes (the stream, the sweep,
   * a back-fill): the write of rev n+1 first claims `<customer>:<n+1>` in Redis, and only
   * the claim's holder writes it. MongoDB's `rev` filter would do on its own, but FerretDB
   * v1 evaluates a filter and writes in two steps (ADR 0005), so two writers that read the
   * same rev could both replace. The claim holds the decision's fingerprint: the same
   * decision made again (a redelivery after a crash mid-write) may take the claim over —
   * its writes are identical — while another waits until the claim is released after the
   * write, or lapses (SEGMENT_STATE_CLAIM_SECONDS) when its holder died.
   */
  private async claim(saves: readonly StateSave[]): Promise<Set<string>> {
    const lost = new Set<string>();
    if (!saves.length) return lost;
    const pipeline = this.redis.pipeline();
    for (const { doc } of saves) pipeline.eval(CLAIM, 1, this.claimKey(doc), fingerprint(doc), this.config.SEGMENT_STATE_CLAIM_SECONDS * 1_000);
    const results = (await pipeline.exec()) ?? [];
    results.forEach(([error, reply], i) => {
      if (error) throw error;
      if (reply !== 1) lost.add(saves[i].doc._id);
    });
    return lost;
  }

  private claimKey(doc: SegmentStateDoc): string {
    return `${this.claimPrefix}${doc._id}:${doc.rev}`;
  }

  private async release(saves: readonly StateSave[]): Promise<void> {
    if (!saves.length) return;
    const pipeline = this.redis.pipeline();
    for (const { doc } of saves) pipeline.eval(RELEASE, 1, this.claimKey(doc), fingerprint(doc));
    await pipeline.exec();
  }

  private async cacheAll(docs: readonly SegmentStateDoc[]): Promise<void> {
    if (!docs.length) return;
    const ttl = this.config.SEGMENT_STATE_CACHE_TTL_SECONDS;
    const cache = this.redis.pipeline() as unknown as VersionedCache & { exec(): Promise<unknown> };
    for (const doc of docs) cache.segmentStateSetIfNewer(this.cachePrefix + doc._id, doc.rev, `${doc.rev}\n${JSON.stringify(doc)}`, ttl);
    await cache.exec();
  }

  /**
   * FerretDB v1 pushes neither the `$gt` nor the sort down (measured, 20 000 documents of
   * ~0.6 kB: a `{_id: {$gt}}` page sorted and limited is a full scan, 7.7 s each; one cursor
   * sorted by `_id` reads them all in 8.1 s): one cursor per run, never a query per page.
   */
  async *scan(after: string | undefined, batch: number): AsyncIterable<SegmentStateDoc[]> {
    for await (const page of this.pages(after, batch, undefined)) yield page.map((doc) => fromStored(doc) as SegmentStateDoc);
  }

  async *scanIds(after: string | undefined, batch: number): AsyncIterable<string[]> {
    for await (const page of this.pages(after, batch, { _id: 1 })) yield page.map((doc) => doc._id);
  }

  /** One cursor in `_id` order after `after`, `batch` documents a page (projected, if asked). */
  private async *pages(after: string | undefined, batch: number, projection: Record<string, 1> | undefined): AsyncIterable<StoredState[]> {
    const cursor = this.states.find(after === undefined ? {} : { _id: { $gt: after } }, projection && { projection }).sort({ _id: 1 }).batchSize(batch);
    try {
      let page: StoredState[] = [];
      for await (const doc of cursor) {
        page.push(doc);
        if (page.length < batch) continue;
        yield page;
        page = [];
      }
      if (page.length) yield page;
    } finally {
      await cursor.close();
    }
  }

}
