import { Injectable } from '@nestjs/common';
import type { EventEnvelope, ProfileUpdated } from '@meridian/events';
import { CustomerMembers } from './ports/customer-members.port';
import { CustomerProfiles, ProfileFact } from './ports/customer-profiles.port';

/**
 * Keeps what the service desk needs of each profile (issue 11, points 6 and 7): the consents a
 * survey's channel must respect, the branch and RM, and — merged — whom their records went to
 * (indexed the other way round as the holder's members). The highest version stands, whatever
 * order they arrive in; an ERASED or MERGED customer keeps no consent, so nothing is sent to them.
 */
@Injectable()
export class RecordProfilesUseCase {
  constructor(
    private readonly profiles: CustomerProfiles,
    private readonly members: CustomerMembers,
  ) {}

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
        ...(status === 'MERGED' && p.mergedInto && { mergedInto: p.mergedInto }),
      };
      if ((last.get(p.customerId)?.version ?? 0) < fact.version) last.set(p.customerId, fact);
    }
    const facts = [...last.values()];
    const kept = await this.profiles.record(facts);
    // Who holds whom, by key (a redelivery adds again, harmlessly; readers check each member's pointer).
    for (const f of facts) {
      const before = kept.get(f.customerId);
      if (before && before.version > f.version) continue;
      if (f.mergedInto) await this.members.add(f.mergedInto, f.customerId);
      if (before?.mergedInto && before.mergedInto !== f.mergedInto) await this.members.remove(before.mergedInto, f.customerId);
    }
  }
}
