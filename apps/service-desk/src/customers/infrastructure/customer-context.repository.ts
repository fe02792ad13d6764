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

  /**
   * Keeps a tier only when it is newer than the one kept: segmentation may send an older
   * decision again after a newer one (a slow run's settle, a redelivery). Read, then written:
   * a customer's TierChanged come from one partition, so one instance at a time writes them.
   */
  async recordTiers(facts: readonly TierFact[]): Promise<void> {
    if (!facts.length) return;
    const kept = await mapLimit(facts, 16, (f) => this.contexts.findOne({ _id: f.customerId }, { projection: { tierAt: 1 } }));
    const newer = facts.filter((f, i) => kept[i]?.tierAt === undefined || Date.parse(f.at) > Date.parse(kept[i]?.tierAt as string));
    if (!newer.length) return;
    await this.contexts.bulkWrite(newer.map((f) => ({ updateOne: { filter: { _id: f.customerId }, update: { $set: { tier: f.tier, tierAt: f.at } }, upsert: true } })), { ordered: false });
  }
}
