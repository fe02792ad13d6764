import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { mapLimit, nativeCollection } from '@meridian/shared';
import type { Connection } from 'mongoose';
import { CustomerProfiles, ProfileFact } from '../application/ports/customer-profiles.port';

type ProfileDoc = Omit<ProfileFact, 'customerId'> & { _id: string };

/** `customer_profiles` on MongoDB, by `_id` only (ADR 0005). A customer's ProfileUpdated come from one partition: one instance writes them. */
@Injectable()
export class CustomerProfileRepository implements CustomerProfiles {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get profiles() {
    return nativeCollection<ProfileDoc>(this.connection, 'customer_profiles');
  }

  async get(customerIds: readonly string[]): Promise<Map<string, ProfileFact>> {
    const docs = await mapLimit([...new Set(customerIds)], 16, (id) => this.profiles.findOne({ _id: id }));
    return new Map(docs.filter((d): d is ProfileDoc => !!d).map(({ _id, ...fact }) => [_id, { customerId: _id, ...fact }]));
  }

  async record(facts: readonly ProfileFact[]): Promise<Map<string, ProfileFact>> {
    if (!facts.length) return new Map();
    const kept = await this.get(facts.map((f) => f.customerId));
    // Newer, or the same version kept before the desk kept merge pointers (a replay of crm.profile.v1 adds them).
    const newer = facts.filter((f) => {
      const k = kept.get(f.customerId);
      return (k?.version ?? 0) < f.version || (k?.version === f.version && f.mergedInto !== undefined && k.mergedInto === undefined && k.status === 'MERGED');
    });
    if (!newer.length) return kept;
    await this.profiles.bulkWrite(
      newer.map(({ customerId, ...fact }) => ({ replaceOne: { filter: { _id: customerId }, replacement: JSON.parse(JSON.stringify(fact)) as Omit<ProfileDoc, '_id'>, upsert: true } })),
      { ordered: false },
    );
    return kept;
  }
}
