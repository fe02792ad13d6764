import { Injectable } from '@nestjs/common';
import type { EventEnvelope, ProfileUpdated } from '@meridian/events';
import { CustomerBase } from './ports/customer-base.port';
import { CustomerRecords } from './ports/customer-records.port';
import { CustomerTraces } from './ports/customer-traces.port';

/**
 * crm.profile.v1 at campaign: each customer's newest ProfileUpdated (features, consents, risk
 * tolerance, branch, RM), whatever order they come in; and the customer in the base a batch
 * audience reads (ACTIVE in, MERGED out, ERASED out for good). An erased customer's traces are
 * forgotten: nothing of them is kept but their erasure (a redelivered erasure forgets again).
 */
@Injectable()
export class RecordProfilesUseCase {
  constructor(
    private readonly customers: CustomerRecords,
    private readonly base: CustomerBase,
    private readonly traces: CustomerTraces,
  ) {}

  async execute(updates: readonly EventEnvelope<ProfileUpdated>[]): Promise<void> {
    const facts = updates.map(({ payload: p }) => ({ customerId: p.customerId, version: p.version, status: p.status ?? ('ACTIVE' as const), features: p.features }));
    await this.customers.recordProfiles(facts);
    await this.base.record(facts);
    const erased = facts.filter((f) => f.status === 'ERASED').map((f) => f.customerId);
    if (erased.length) await this.traces.forget(erased);
  }
}
