import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { withoutUndefined } from '@meridian/events/rules';
import { insertNew, mapLimit, nativeCollection } from '@meridian/shared';
import type { Connection } from 'mongoose';
import { CustomerRecords, ProfileFact } from '../application/ports/customer-records.port';
import { CustomerRecord, DatedChange, newestChanges, profilesLeft } from '../domain/customer-facts';

type ProfileDoc = { _id: string; version: number; status: CustomerRecord['status']; features?: CustomerRecord['features'] };
type SegmentsDoc = { _id: string; derived: CustomerRecord['derived']; memberships: CustomerRecord['memberships'] };

/** A membership's key as a document field: no `.` or `$` (segment ids are the marketers'), reversibly. */
const encodeKey = (id: string) => id.replace(/%/g, '%25').replace(/\./g, '%2E').replace(/\$/g, '%24');
const decodeKey = (key: string) => key.replace(/%2E/g, '.').replace(/%24/g, '$').replace(/%25/g, '%');

/**
 * What campaign keeps of a customer, on MongoDB by `_id` (ADR 0005), in two collections, each
 * written by one consumer: `customer_profiles` (the latest ProfileUpdated: crm.profile.v1) and
 * `customer_segments` (field by field, the newest of segmentation's announcements: crm.segment.v1).
 * Two writers never share a document: FerretDB v1 applies an update by rewriting the whole
 * document, so two updates of different fields at once would lose one (found by the demo). Each
 * write carries its guard in its filter (found by `_id`, checked on that document alone): an older
 * version or announcement never lands over a newer one, and nothing lands over an erasure (PIPL:
 * it is final). A document is made first where it is missing (an insert whose duplicate `_id` is
 * no error), then updated under its guard: no upsert ever fails, since FerretDB v1 stops an
 * unordered bulk write at its first error (the updates after it would be lost).
 */
@Injectable()
export class CustomerRecordRepository extends CustomerRecords {
  constructor(@InjectConnection() private readonly connection: Connection) {
    super();
  }

  private get profiles() {
    return nativeCollection<ProfileDoc>(this.connection, 'customer_profiles');
  }

  private get segments() {
    return nativeCollection<SegmentsDoc>(this.connection, 'customer_segments');
  }

  async get(customerIds: readonly string[]): Promise<Map<string, CustomerRecord>> {
    const ids = [...new Set(customerIds)];
    const docs = await mapLimit(ids, 16, (id) => Promise.all([this.profiles.findOne({ _id: id }), this.segments.findOne({ _id: id })]));
    const out = new Map<string, CustomerRecord>();
    docs.forEach(([profile, segments], i) => {
      if (!profile && !segments) return;
      out.set(ids[i], {
        customerId: ids[i],
        version: profile?.version ?? 0,
        status: profile?.status ?? 'ACTIVE',
        ...(profile?.features && { features: profile.features }),
        derived: segments?.derived ?? {},
        memberships: Object.fromEntries(Object.entries(segments?.memberships ?? {}).map(([k, m]) => [decodeKey(k), m])),
      });
    });
    return out;
  }

  eachCustomer(step: number, visit: (customers: Array<{ customerId: string; version: number; status: CustomerRecord['status'] }>) => Promise<void>): Promise<number> {
    return inSteps(this.profiles.find({}, { projection: { _id: 1, version: 1, status: 1 }, batchSize: step }), step, (doc) => [{ customerId: doc._id, version: doc.version, status: doc.status }], visit);
  }

  /**
   * Everything kept, as the facts it was kept from, `step` documents at a time — one pass over
   * each collection (a copy elsewhere rebuilt): each profile as its ProfileUpdated, each field and
   * membership of segmentation's as its announcement, at its instant.
   */
  async replay(step: number, visit: (profiles: ProfileFact[], changes: DatedChange[]) => Promise<void>): Promise<number> {
    const profiles = await inSteps(
      this.profiles.find({}, { batchSize: step }),
      step,
      (doc): ProfileFact[] => (doc.features && doc.version > 0 ? [{ customerId: doc._id, version: doc.version, status: doc.status, features: doc.features }] : []),
      (facts) => visit(facts, []),
    );
    const segments = await inSteps(this.segments.find({}, { batchSize: step }), step, changesOf, (changes) => visit([], changes));
    return profiles + segments;
  }

  async recordProfiles(facts: readonly ProfileFact[]): Promise<void> {
    const newest = new Map(profilesLeft(facts).map((f) => [f.customerId, f]));
    if (!newest.size) return;
    // Made where missing, then updated under the guard: never an upsert whose duplicate `_id` would be the "older" answer —
    // FerretDB v1 stops an unordered bulk write at its first error, and the updates after it would be lost (found by CI).
    await insertNew(this.profiles, [...newest.keys()].map((id) => ({ _id: id, version: 0, status: 'ACTIVE' as const })));
    await this.profiles.bulkWrite(
      [...newest.values()].map((f) => ({
        updateOne: {
          filter: { _id: f.customerId, version: { $lt: f.version }, status: { $ne: 'ERASED' as const } },
          update: { $set: { version: f.version, status: f.status, features: withoutUndefined(f.features) as ProfileDoc['features'] } },
        },
      })),
      { ordered: false },
    );
  }

  /** Erasure is final (PIPL): what segmentation said of these customers goes — where their erasure stands here (its guard may have refused one). */
  async forgetErasedSegments(facts: readonly ProfileFact[]): Promise<void> {
    const erasing = [...new Set(facts.filter((f) => f.status === 'ERASED').map((f) => f.customerId))];
    const standing = await mapLimit(erasing, 16, (id) => this.profiles.findOne({ _id: id }, { projection: { status: 1 } }));
    await this.forgetSegments(erasing.filter((_, i) => standing[i]?.status === 'ERASED'));
  }

  /**
   * Segmentation's news of erased customers deleted. A delete never revives a document an update
   * rewrites at the same time (FerretDB v1 updates the document found by `_id`, gone by then); one
   * written again after it is deleted again by whoever wrote it (CachedCustomerRecords).
   */
  async forgetSegments(customerIds: readonly string[]): Promise<void> {
    if (!customerIds.length) return;
    await this.segments.bulkWrite([...new Set(customerIds)].map((id) => ({ deleteOne: { filter: { _id: id } } })), { ordered: false });
  }

  async recordChanges(changes: readonly DatedChange[]): Promise<void> {
    const newest = newestChanges(changes);
    if (!newest.length) return;
    await insertNew(this.segments, [...new Set(newest.map((c) => c.customerId))].map((id) => ({ _id: id, derived: {}, memberships: {} })));
    await this.segments.bulkWrite(
      newest.map((c) => {
        const path = c.field === 'membership' ? `memberships.${encodeKey(c.segmentId)}` : `derived.${c.field}`;
        const ms = Date.parse(c.at);
        const value = c.field === 'membership' ? { in: c.value, at: c.at, ms } : { value: withoutUndefined(c.value), at: c.at, ms };
        return { updateOne: { filter: { _id: c.customerId, $or: [{ [path]: { $exists: false } }, { [`${path}.ms`]: { $lte: ms } }] }, update: { $set: { [path]: value } } } };
      }),
      // In order: a customer's fields are one document, updated one after the other.
      { ordered: true },
    );
  }
}

/** What `step` documents at a time of a cursor hold, visited in turn (a step's items may be none); answers the documents read. */
async function inSteps<D, T>(docs: AsyncIterable<D>, step: number, itemsOf: (doc: D) => T[], visit: (items: T[]) => Promise<void>): Promise<number> {
  let read = 0;
  let items: T[] = [];
  for await (const doc of docs) {
    items.push(...itemsOf(doc));
    if (++read % step === 0) {
      await visit(items);
      items = [];
    }
  }
  if (items.length) await visit(items);
  return read;
}

/** A customer's segments document as the announcements it keeps. */
function changesOf(doc: SegmentsDoc): DatedChange[] {
  const derived = Object.entries(doc.derived ?? {}).flatMap(([field, d]) => (d ? [{ customerId: doc._id, field, value: d.value, at: d.at } as DatedChange] : []));
  const memberships = Object.entries(doc.memberships ?? {}).map(([key, m]): DatedChange => ({ customerId: doc._id, field: 'membership', segmentId: decodeKey(key), value: m.in, at: m.at }));
  return [...derived, ...memberships];
}
