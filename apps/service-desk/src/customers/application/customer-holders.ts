import { Injectable } from '@nestjs/common';
import { MAX_MERGE_HOPS, MergeFact, noMerges } from './merge-facts';
import { CustomerMerges } from './ports/customer-merges.port';

/** The customer who holds a customer's records now, and everyone whose records they hold (themselves first). */
export interface CustomerHolder {
  customerId: string;
  owners: string[];
}

/**
 * Who holds a customer's records at the desk: themselves, or — merged — the survivor they point
 * at (followed through merges of merges), with everyone merged into them. Read by `_id`.
 */
@Injectable()
export class CustomerHolders {
  constructor(private readonly merges: CustomerMerges) {}

  /** The customer and everyone merged into them, pointers not followed: whose records go with theirs (an erasure). */
  async heldBy(customerIds: readonly string[]): Promise<string[]> {
    const facts = await this.merges.get(customerIds);
    return [...new Set(customerIds.flatMap((id) => [id, ...(facts.get(id)?.mergedFrom ?? [])]))];
  }

  async of(customerId: string): Promise<CustomerHolder> {
    let fact: MergeFact = (await this.merges.get([customerId])).get(customerId) ?? noMerges(customerId);
    for (let hop = 0; fact.mergedInto && hop < MAX_MERGE_HOPS; hop++) {
      const next = fact.mergedInto;
      fact = (await this.merges.get([next])).get(next) ?? noMerges(next);
    }
    return { customerId: fact.customerId, owners: [fact.customerId, ...fact.mergedFrom] };
  }
}
