import { Injectable } from '@nestjs/common';
import { customerRef } from '../domain/earned-points';
import { PointsAccounts } from './ports/points-accounts.port';

/** A referred customer claimed for a referrer, once across the bank (an insert by `_id`: atomic on MongoDB and FerretDB alike): MINE, or OTHERS when another referrer holds it. */
@Injectable()
export class ClaimReferralUseCase {
  constructor(private readonly accounts: PointsAccounts) {}

  async execute(referredCustomerId: string, referrerId: string): Promise<'MINE' | 'OTHERS'> {
    const mine = customerRef(referrerId);
    return (await this.accounts.claimReferral(referredCustomerId, mine)) === mine ? 'MINE' : 'OTHERS';
  }
}
