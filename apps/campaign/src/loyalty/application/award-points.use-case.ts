import { Injectable } from '@nestjs/common';
import { mapLimit } from '@meridian/shared';
import { CampaignConfig } from '../../config/campaign.config';
import { PointsEarned, awardOf } from '../domain/earned-points';
import type { PointsCommand } from '../domain/points-ledger';
import { PointsChanges, PointsResult } from './points-changes';

/** Accounts changed at once by a batch (each under its own lock). */
const CONCURRENCY = 16;

/**
 * Points earned (issue 13, point 4): card purchases from crm.transaction.v1, campaign goals from
 * crm.campaign.v1's ConversionAttributed, referrals through the API — each customer's in one
 * change of their account, each cause once whatever is redelivered. Answers each one's result
 * (none where it earns nothing).
 */
@Injectable()
export class AwardPointsUseCase {
  constructor(
    private readonly changes: PointsChanges,
    private readonly config: CampaignConfig,
  ) {}

  async execute(earned: readonly PointsEarned[]): Promise<Array<PointsResult | undefined>> {
    const rules = this.config.loyalty;
    const byCustomer = new Map<string, Array<{ index: number; award: PointsCommand }>>();
    earned.forEach((e, index) => {
      const award = awardOf(e, rules);
      if (award) byCustomer.set(e.customerId, [...(byCustomer.get(e.customerId) ?? []), { index, award }]);
    });
    const results = new Array<PointsResult | undefined>(earned.length);
    await mapLimit([...byCustomer], CONCURRENCY, async ([customerId, awards]) => {
      const made = await this.changes.apply(customerId, awards.map((a) => a.award));
      awards.forEach((a, i) => (results[a.index] = made[i]));
    });
    return results;
  }
}
