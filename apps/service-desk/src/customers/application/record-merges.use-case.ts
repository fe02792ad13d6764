import { Injectable } from '@nestjs/common';
import type { EventEnvelope, IdentityMerged, IdentityUnmerged } from '@meridian/events';
import { foldMerge, foldUnmerge, noMerges } from './merge-facts';
import { CustomerMerges } from './ports/customer-merges.port';

export type MergeEvent = EventEnvelope<IdentityMerged> | EventEnvelope<IdentityUnmerged>;

/**
 * IdentityMerged and IdentityUnmerged (crm.governance.v1, keyed by the survivor): who holds whose
 * tickets and interactions at the desk (merge-facts.ts), folded in the order they came, each once.
 */
@Injectable()
export class RecordMergesUseCase {
  constructor(private readonly merges: CustomerMerges) {}

  async execute(events: readonly MergeEvent[]): Promise<void> {
    for (const e of events) {
      const other = e.type === 'IdentityMerged' ? (e.payload as IdentityMerged).mergedId : (e.payload as IdentityUnmerged).restoredId;
      const { survivorId, mergeId } = e.payload;
      const facts = await this.merges.get([survivorId, other]);
      const [survivor, them] = [facts.get(survivorId) ?? noMerges(survivorId), facts.get(other) ?? noMerges(other)];
      await this.merges.put(e.type === 'IdentityMerged' ? foldMerge(survivor, them, mergeId) : foldUnmerge(survivor, them, mergeId));
    }
  }
}
