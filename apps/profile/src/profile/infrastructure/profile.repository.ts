import { Inject, Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { REDIS, insertNew, mapLimit, nativeCollection } from '@meridian/shared';
import type Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { ProfileConfig } from '../../config/profile.config';
import { PiiIndex } from '../application/ports/pii-index.port';
import { ProfileDoc, ProfileStore } from '../application/ports/profile-store.port';

/** pii_index: blind index (`ID_NUMBER:<hmac>`, `PHONE:<hmac>`) → customer, for look-ups. */
interface PiiIndexDoc {
  _id: string;
  customerId: string;
}

/**
 * Sets a cached profile only if the cache holds no newer version of it — and a tombstone
 * whatever live profile the cache holds, while nothing live replaces a cached tombstone:
 * erasure is final, and a fold that overwrote a tombstone (FerretDB, ADR 0007) may have
 * cached a higher version than the tombstone that follows it. Values are
 * `<version>[E]\n<document JSON>` (`E`: a tombstone), so the check reads the header only.
 */
const SET_IF_NEWER = `
local current = redis.call('GET', KEYS[1])
if current then
  local version, erased = string.match(current, '^(%d+)(E?)\\n')
  if version then
    if erased == 'E' and ARGV[4] ~= 'E' then return 0 end
    if erased == ARGV[4] and tonumber(version) >= tonumber(ARGV[1]) then return 0 end
  end
end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1`;

type VersionedCache = Redis & { profileSetIfNewer(key: string, version: number, value: string, ttlSeconds: number, erased: string): Promise<number> };

/**
 * MongoDB documents of the profile service, with a Redis read-through cache of profile
 * documents (sealed as stored: the cache never holds clear PII). Every write puts its
 * version in the cache and no fill replaces a newer version with an older one, so a read
 * that raced a write cannot leave a stale profile cached.
 */
@Injectable()
export class ProfileRepository implements ProfileStore, PiiIndex {
  private readonly cachePrefix: string;

  constructor(
    @InjectConnection() private readonly connection: Connection,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: ProfileConfig,
  ) {
    // `v2`: values are `<version>\n<document>` (`<version>E\n…` for a tombstone: an older release reads it as a profile
    // it may replace, as it always did); an instance of a release before v2 reads its own keys.
    this.cachePrefix = `${config.redisPrefix}profile:v2:`;
    if (!('profileSetIfNewer' in redis)) redis.defineCommand('profileSetIfNewer', { numberOfKeys: 1, lua: SET_IF_NEWER });
  }

  private get cache(): VersionedCache {
    return this.redis as VersionedCache;
  }

  private cacheDoc(doc: ProfileDoc): Promise<number> {
    const erased = doc.status === 'ERASED' ? 'E' : '';
    return this.cache.profileSetIfNewer(this.cachePrefix + doc._id, doc.version, `${doc.version}${erased}\n${JSON.stringify(doc)}`, this.config.PROFILE_CACHE_TTL_SECONDS, erased);
  }

  get profiles() {
    return nativeCollection<ProfileDoc>(this.connection, 'profiles');
  }
  get piiIndex() {
    return nativeCollection<PiiIndexDoc>(this.connection, 'pii_index');
  }

  /** Profiles by id: the cache first, then MongoDB (and the cache filled). */
  async load(customerIds: readonly string[]): Promise<Map<string, ProfileDoc>> {
    const ids = [...new Set(customerIds)];
    const out = new Map<string, ProfileDoc>();
    if (!ids.length) return out;
    const cached = await this.redis.mget(ids.map((id) => this.cachePrefix + id));
    const missing: string[] = [];
    ids.forEach((id, i) => {
      const hit = cached[i];
      const newline = hit ? hit.indexOf('\n') : -1;
      if (hit && newline > 0) out.set(id, JSON.parse(hit.slice(newline + 1)) as ProfileDoc);
      else missing.push(id);
    });
    const docs = await mapLimit(missing, 16, (id) => this.profiles.findOne({ _id: id }));
    await Promise.all(
      docs.map((doc) => {
        if (!doc) return undefined;
        out.set(doc._id, doc);
        return this.cacheDoc(doc);
      }),
    );
    return out;
  }

  /** Straight from MongoDB, for a retry after a concurrent write. */
  async loadFresh(customerId: string): Promise<ProfileDoc | null> {
    return this.profiles.findOne({ _id: customerId });
  }

  /**
   * Writes a profile if nobody else did since it was read (its version), and caches it.
   * False when another writer came first (the cached copy is dropped): read again and refold.
   */
  async save(doc: ProfileDoc, previousVersion: number | undefined): Promise<boolean> {
    let ok: boolean;
    if (previousVersion === undefined) {
      ok = (await insertNew(this.profiles, [doc])).size === 0;
    } else {
      ok = (await this.profiles.replaceOne({ _id: doc._id, version: previousVersion }, doc)).matchedCount === 1;
    }
    // The winner of a lost race has cached its newer version: nothing to drop (a delete would let a stale fill in).
    if (ok) await this.cacheDoc(doc);
    return ok;
  }

  /** Points look-up keys at a customer, and forgets keys that no longer are theirs (only while they still point at them). */
  async indexPii(customerId: string, keys: readonly string[], forget: readonly string[]): Promise<void> {
    for (const key of keys) await this.piiIndex.replaceOne({ _id: key }, { customerId }, { upsert: true });
    for (const key of forget) await this.piiIndex.deleteOne({ _id: key, customerId });
  }

  /** Every look-up key of these customers (erasure: a merged customer's keys go too). */
  async forgetPiiOf(customerIds: readonly string[]): Promise<void> {
    await this.piiIndex.deleteMany({ customerId: { $in: [...customerIds] } });
  }

  /**
   * A tombstone, whatever is stored (ADR 0007: erasure on the owner of the customer): the
   * erasure marker was recorded first, so a fold writing over it finds the marker after its
   * write and tombstones the profile again.
   */
  async putTombstone(tombstone: ProfileDoc): Promise<void> {
    await this.profiles.replaceOne({ _id: tombstone._id }, tombstone, { upsert: true });
    await this.cacheDoc(tombstone);
  }

  /** An erasure's last step: nothing left to announce (a new version, cached: no stale fill can bring the old one back). */
  async settleErasure(tombstone: ProfileDoc): Promise<boolean> {
    const { pendingAnnouncements: _done, ...settled } = tombstone;
    return this.save({ ...settled, version: tombstone.version + 1 }, tombstone.version);
  }

  async findByPii(key: string): Promise<string | undefined> {
    return (await this.piiIndex.findOne({ _id: key }))?.customerId;
  }
}
