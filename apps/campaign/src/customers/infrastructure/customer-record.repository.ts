import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { withoutUndefined } from '@meridian/events/rules';
import { insertNew, mapLimit, nativeCollection } from '@meridian/shared';
import type { Connection } from 'mongoose';
import { CustomerRecords, ProfileFact } from '../application/ports/customer-records.port';
import { CustomerRecord, DatedChange, newestChanges } from '../domain/customer-facts';

type RecordDoc = Omit<CustomerRecord, 'customerId'> & { _id: string };

/** A membership's key as a document field: no `.` or `$` (segment ids are the marketers'), reversibly. */
const encodeKey = (id: string) => id.replace(/%/g, '%25').replace(/\./g, '%2E').replace(/\$/g, '%24');
const decodeKey = (key: string) => key.replace(/%2E/g, '.').replace(/%24/g, '$').replace(/%25/g, '%');

/**
 * `customer_facts` on MongoDB, by `_id` (ADR 0005): the latest ProfileUpdated and, field by
 * field, the newest of segmentation's announcements. Profiles and segment news arrive on two
 * topics, handled apart: each writes only its own fields ($set), so neither overwrites the
 * other, and each write carries its guard in its filter (the document is found by `_id`, the
 * guard is checked on it alone): an older version or an older announcement never lands over a
 * newer one, whoever writes at once, and nothing lands over an erasure (PIPL: it is final). The
 * document is made first where it is missing, so no two upserts of one customer race.
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

  /** Makes the customers' documents that do not exist yet: an insert, whose duplicate `_id` says the others do (no upserts racing). */
  private async ensure(customerIds: readonly string[]): Promise<void> {
    await insertNew(this.records, [...new Set(customerIds)].map((id) => ({ _id: id, version: 0, status: 'ACTIVE' as const, derived: {}, memberships: {} })));
  }

  async recordProfiles(facts: readonly ProfileFact[]): Promise<void> {
    const newest = new Map<string, ProfileFact>();
    for (const f of facts) if ((newest.get(f.customerId)?.version ?? 0) < f.version) newest.set(f.customerId, f);
    if (!newest.size) return;
    await this.ensure([...newest.keys()]);
    await this.records.bulkWrite(
      [...newest.values()].map((f) => ({
        updateOne: {
          filter: { _id: f.customerId, version: { $lt: f.version }, status: { $ne: 'ERASED' } },
          update: { $set: { version: f.version, status: f.status, features: withoutUndefined(f.features) as RecordDoc['features'] } },
        },
      })),
      { ordered: false },
    );
  }

  async recordChanges(changes: readonly DatedChange[]): Promise<void> {
    const newest = newestChanges(changes);
    if (!newest.length) return;
    await this.ensure(newest.map((c) => c.customerId));
    await this.records.bulkWrite(
      newest.map((c) => {
        const path = c.field === 'membership' ? `memberships.${encodeKey(c.segmentId)}` : `derived.${c.field}`;
        const ms = Date.parse(c.at);
        const value = c.field === 'membership' ? { in: c.value, at: c.at, ms } : { value: withoutUndefined(c.value), at: c.at, ms };
        return { updateOne: { filter: { _id: c.customerId, $or: [{ [path]: { $exists: false } }, { [`${path}.ms`]: { $lte: ms } }] }, update: { $set: { [path]: value } } } };
      }),
      { ordered: false },
    );
  }
}
