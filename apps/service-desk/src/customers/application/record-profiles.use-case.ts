import { Injectable } from '@nestjs/common';
import type { EventEnvelope, ProfileUpdated } from '@meridian/events';
import { CustomerProfiles, ProfileFact } from './ports/customer-profiles.port';

/**
 * Keeps what the service desk needs of each profile (issue 11, points 6 and 7): the consents a
 * survey's channel must respect, the branch and RM. The highest version stands, whatever order
 * they arrive in; an ERASED or MERGED customer keeps no consent, so nothing is sent to them.
 */
@Injectable()
export class RecordProfilesUseCase {
  constructor(private readonly profiles: CustomerProfiles) {}

  async execute(updates: readonly EventEnvelope<ProfileUpdated>[]): Promise<void> {
    const last = new Map<string, ProfileFact>();
    for (const { payload: p } of updates) {
      const status = p.status ?? 'ACTIVE';
      const fact: ProfileFact = {
        customerId: p.customerId,
        version: p.version,
        status,
        ...(status === 'ACTIVE' && p.features.consents && { consents: p.features.consents }),
        ...(status === 'ACTIVE' && p.features.branchId && { branchId: p.features.branchId }),
        ...(status === 'ACTIVE' && p.features.rmId && { rmId: p.features.rmId }),
      };
      if ((last.get(p.customerId)?.version ?? 0) < fact.version) last.set(p.customerId, fact);
    }
    await this.profiles.record([...last.values()]);
  }
}
