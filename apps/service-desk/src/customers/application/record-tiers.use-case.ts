import { Injectable } from '@nestjs/common';
import type { EventEnvelope, TierChanged } from '@meridian/events';
import { CustomerContexts, TierFact } from './ports/customer-contexts.port';

/**
 * Keeps each customer's value tier from segmentation's TierChanged (crm.segment.v1, keyed by
 * customer, so a customer's changes come in order): the last of a run is the one that
 * stands. Setting it again on a redelivery changes nothing.
 */
@Injectable()
export class RecordTiersUseCase {
  constructor(private readonly customers: CustomerContexts) {}

  async execute(changes: readonly EventEnvelope<TierChanged>[]): Promise<void> {
    const last = new Map<string, TierFact>();
    for (const e of changes) last.set(e.payload.customerId, { customerId: e.payload.customerId, tier: e.payload.to, at: e.occurredAt });
    await this.customers.recordTiers([...last.values()]);
  }
}
