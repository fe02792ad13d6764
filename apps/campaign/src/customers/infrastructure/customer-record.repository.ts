import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { withoutUndefined } from '@meridian/events/rules';
import { mapLimit, nativeCollection } from '@meridian/shared';
import type { Connection } from 'mongoose';
import { CustomerRecords, ProfileFact } from '../application/ports/customer-records.port';
import { CustomerRecord, DatedChange, newestChanges } from '../domain/customer-facts';

type RecordDoc = Omit<CustomerRecord, 'customerId'> & { _id: string };

/** A membership's key as a document field: no `.` or `$` (segment ids are the marketers'), reversibly. */
const encodeKey = (id: string) => id.replace(/%/g, '%25').replace(/\./g, '%2E').replace(/\$/g, '%24');
const decodeKey = (key: string) => key.replace(/%2E/g, '.').replace(/%24/g, '$').replace(/%25/g, '%');

/**
 * `customer_facts` on MongoDB, by `_id` only (ADR 0005): the latest ProfileUpdated and, field by
 * field, the newest of segmentation's announcements. Profiles and segment news arrive on two
 * topics, handled apart: each writes only its own fields ($set), so neither overwrites the other.
 */
@Injectable()
export class CustomerRecordRepository implements CustomerRecords {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get records() {
    return nativeCollection<RecordDoc>(this.connection, 'customer_facts');
  }

  async get(customerIds: readonly string[]): Promise<Map<string, CustomerRecord>> {
    const docs = await mapLimit([...new Set(customerIds)], 16, (id) => this.records.findOne({ _id: id }));
    return new Map(
      docs
        .filter((d): d is RecordDoc => !!d)
        .map(({ _id, memberships, ...doc }) => [
          _id,
          { customerId: _id, ...doc, version: doc.version ?? 0, status: doc.status ?? 'ACTIVE', derived: doc.derived ?? {}, memberships: Object.fromEntries(Object.entries(memberships ?? {}).map(([k, m]) => [decodeKey(k), m])) },
        ]),
    );
  }

  async recordProfiles(facts: readonly ProfileFact[]): Promise<void> {
    const newest = new Map<string, ProfileFact>();
    for (const f of facts) if ((newest.get(f.customerId)?.version ?? 0) < f.version) newest.set(f.customerId, f);
    const kept = await this.get([...newest.keys()]);
    const newer = [...newest.values()].filter((f) => (kept.get(f.customerId)?.version ?? 0) < f.version);
    if (!newer.length) return;
    await this.records.bulkWrite(
      newer.map((f) => ({ updateOne: { filter: { _id: f.customerId }, update: { $set: { version: f.version, status: f.status, features: withoutUndefined(f.features) as RecordDoc['features'] } }, upsert: true } })),
      { ordered: false },
    );
  }

  async recordChanges(changes: readonly DatedChange[]): Promise<void> {
    const newest = newestChanges(changes);
    if (!newest.length) return;
    const kept = await this.get(newest.map((c) => c.customerId));
    const sets = new Map<string, Record<string, unknown>>();
    for (const c of newest) {
      const record = kept.get(c.customerId);
      const path = c.field === 'membership' ? `memberships.${encodeKey(c.segmentId)}` : `derived.${c.field}`;
      const seen = c.field === 'membership' ? record?.memberships[c.segmentId] : record?.derived[c.field];
      if (seen && Date.parse(seen.at) > Date.parse(c.at)) continue;
      const set = sets.get(c.customerId) ?? {};
      set[path] = c.field === 'membership' ? { in: c.value, at: c.at } : { value: withoutUndefined(c.value), at: c.at };
      sets.set(c.customerId, set);
    }
    if (!sets.size) return;
    await this.records.bulkWrite(
      [...sets].map(([id, $set]) => ({ updateOne: { filter: { _id: id }, update: { $set }, upsert: true } })),
      { ordered: false },
    );
  }
}
