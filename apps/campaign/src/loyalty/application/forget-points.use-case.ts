import { Injectable } from '@nestjs/common';
import { mapLimit } from '@meridian/shared';
import { PointsChanges } from './points-changes';

/** Erased customers' points forgotten (PIPL), each under their account's lock; a redelivered erasure finds nothing and changes nothing. */
@Injectable()
export class ForgetPointsUseCase {
  constructor(private readonly changes: PointsChanges) {}

  async execute(customerIds: readonly string[]): Promise<void> {
    await mapLimit([...new Set(customerIds)], 8, (customerId) => this.changes.forget(customerId));
  }
}
