import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Tier } from '@meridian/events';
import { mapLimit, nativeCollection } from '@meridian/shared';
import type { Connection } from 'mongoose';
import { CustomerContexts, TierFact } from '../application/ports/customer-contexts.port';

interface CustomerContextDoc {
  _id: string;
  tier?: Tier;
  tierAt?: string;
}

/** `customer_contexts` on MongoDB, one document per customer, by `_id` only (ADR 0005). */
@Injectable()
export class CustomerContextRepository implements CustomerContexts {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get contexts() {
    return nativeCollection<CustomerContextDoc>(this.connection, 'customer_contexts');
  }

  async tiers(customerIds: readonly string[]): Promise<Map<string, Tier>> {
    const docs = await mapLimit([...new Set(customerIds)], 16, (id) => this.contexts.findOne({ _id: id }, { projection: { tier: 1 } }));
    return new Map(docs.filter((d): d is CustomerContextDoc & { tier: Tier } => !!d?.tier).map((d) => [d._id, d.tier]));
  }

  async recordTiers(facts: readonly TierFact[]): Promise<void> {
    if (!facts.length) return;
    await this.contexts.bulkWrite(facts.map((f) => ({ updateOne: { filter: { _id: f.customerId }, update: { $set: { tier: f.tier, tierAt: f.at } }, upsert: true } })), { ordered: false });
  }
}
