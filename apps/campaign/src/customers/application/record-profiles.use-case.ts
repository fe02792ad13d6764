import { Injectable } from '@nestjs/common';
import type { EventEnvelope, ProfileUpdated } from '@meridian/events';
import { CustomerRecords } from './ports/customer-records.port';

/** crm.profile.v1 at campaign: each customer's newest ProfileUpdated (features, consents, risk tolerance, branch, RM), whatever order they come in. */
@Injectable()
export class RecordProfilesUseCase {
  constructor(private readonly customers: CustomerRecords) {}

  async execute(updates: readonly EventEnvelope<ProfileUpdated>[]): Promise<void> {
    await this.customers.recordProfiles(updates.map(({ payload: p }) => ({ customerId: p.customerId, version: p.version, status: p.status ?? 'ACTIVE', features: p.features })));
  }
}
