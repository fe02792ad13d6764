import { Injectable } from '@nestjs/common';
import type { EventEnvelope, ProfileUpdated } from '@meridian/events';
import { CustomerHolders } from './customer-holders';
import { CustomerErasures } from './ports/customer-erasures.port';
import { CustomerMembers } from './ports/customer-members.port';
import { RecordErasuresUseCase } from './record-erasures.use-case';
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
    private readonly holders: CustomerHolders,
    private readonly erasures: CustomerErasures,
    private readonly erase: RecordErasuresUseCase,
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
      // The same version again says what was kept (the kept fact stands), unless it brought the pointer a fact kept before pointers lacked: only a newer one moves the member away.
      const pointerTaken = before?.version === f.version && before.status === 'MERGED' && before.mergedInto === undefined && f.mergedInto !== undefined;
      const now = before && before.version === f.version && !pointerTaken ? before : f;
      if (now.mergedInto) await this.members.add(now.mergedInto, f.customerId);
      if (before && before.version < f.version && before.mergedInto && before.mergedInto !== f.mergedInto) await this.members.remove(before.mergedInto, f.customerId);
      if (now.mergedInto) await this.erasedHolder(f.customerId);
    }
  }

  /**
   * A customer merged into one the desk already erased (CustomerErased comes on another topic,
   * and may be read first): they and everyone they hold are erased with them.
   */
  private async erasedHolder(customerId: string): Promise<void> {
    const holder = await this.holders.of(customerId);
    if (holder.customerId === customerId || !(await this.erasures.erased([holder.customerId])).size) return;
    // Once: a redelivery finds them erased already (each erasure costs a pass over the tickets).
    if ((await this.erasures.erased([customerId])).size) return;
    await this.erase.execute([customerId]);
  }
}
