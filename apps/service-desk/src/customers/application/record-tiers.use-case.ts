import { Injectable } from '@nestjs/common';
import type { EventEnvelope, TierChanged } from '@meridian/events';
import { CustomerContexts, TierFact } from './ports/customer-contexts.port';

/**
 * Keeps each customer's value tier from segmentation's TierChanged (crm.segment.v1, keyed by
 * customer): the newest decision stands (its instant), whatever order they arrive in — an
 * older one sent again after a newer one changes nothing, nor does a redelivery.
 */
@Injectable()
export class RecordTiersUseCase {
  constructor(private readonly customers: CustomerContexts) {}

  async execute(changes: readonly EventEnvelope<TierChanged>[]): Promise<void> {
    const last = new Map<string, TierFact>();
    for (const e of changes) {
      const seen = last.get(e.payload.customerId);
      if (!seen || Date.parse(e.occurredAt) >= Date.parse(seen.at)) last.set(e.payload.customerId, { customerId: e.payload.customerId, tier: e.payload.to, at: e.occurredAt });
    }
    await this.customers.recordTiers([...last.values()]);
  }
}
