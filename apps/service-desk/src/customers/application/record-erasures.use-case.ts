import { Injectable } from '@nestjs/common';
import { CustomerHolders } from './customer-holders';
import { CustomerErasures } from './ports/customer-erasures.port';
import { CustomerInteractions } from './ports/customer-interactions.port';

/**
 * CustomerErased (PIPL; profile destroyed the customer's data key): the customer is marked
 * erased — nothing that arrives for them later keeps what they said — and their interactions are
 * forgotten at once. Their tickets' subjects are cleared by the job that works the pending
 * erasures (ClearErasedTextUseCase): finding every ticket of a customer is a scan on FerretDB,
 * not work for a consumer's batch. A second delivery marks them again, which costs a pass.
 */
@Injectable()
export class RecordErasuresUseCase {
  constructor(
    private readonly erasures: CustomerErasures,
    private readonly interactions: CustomerInteractions,
    private readonly holders: CustomerHolders,
  ) {}

  async execute(customerIds: readonly string[]): Promise<void> {
    // The erased customer's records, and those of everyone merged into them (profile erased them together).
    const ids = await this.holders.heldBy([...new Set(customerIds)]);
    // The mark first, so an interaction recorded meanwhile is refused rather than kept after the forgetting.
    await this.erasures.mark(ids);
    await this.interactions.forget(ids);
  }
}
