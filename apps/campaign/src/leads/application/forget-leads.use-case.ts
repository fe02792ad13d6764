import { Injectable } from '@nestjs/common';
import { mapLimit } from '@meridian/shared';
import { LeadChanges } from './lead-changes';

/**
 * Erased customers' leads forgotten (PIPL), on the erasure itself (their ProfileUpdated ERASED):
 * each lead out of its RM's count and every index, its document deleted, the customer's tasks
 * withdrawn and deleted — under the lead's lock. A redelivered erasure forgets again, finding nothing.
 */
@Injectable()
export class ForgetLeadsUseCase {
  constructor(private readonly changes: LeadChanges) {}

  async execute(customerIds: readonly string[]): Promise<void> {
    await mapLimit([...new Set(customerIds)], 8, (customerId) => this.changes.forget(customerId));
  }
}
