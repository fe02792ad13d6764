import { ConflictException, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { Clock, FieldValidationException, Principal } from '@meridian/shared';
import { CampaignConfig } from '../../config/campaign.config';
import { CustomerRecords } from '../../customers/application/ports/customer-records.port';
import { canReachPoints } from '../domain/points-access';
import type { PointsEntry } from '../domain/points-ledger';
import { PointsChanges } from './points-changes';
import { PointsAccountBusyError } from './ports/points-locks.port';
import { outOfReach } from './read-points.use-case';

export interface RedemptionRequest {
  /** The client's key: the same request sent again is the same redemption. */
  clientKey: string;
  points: number;
  /** What the points buy, e.g. `GIFT`, `CASH_REBATE`, `ANNUAL_FEE`. */
  reason: string;
}

export interface RedemptionAnswer {
  /** true: made by this request; false: the key's redemption, made before. */
  created: boolean;
  redemption: PointsEntry;
  balance: number;
}

/** A redemption's cause in the ledger. */
export const redemptionRef = (clientKey: string) => `redeem:${clientKey}`;

/**
 * POST /v1/customers/{id}/points/redemptions (issue 13, point 4): spends points oldest first at
 * the request's instant, under the account's lock, so it never overdraws however many arrive at
 * once — one that would is refused (409, rule `isWithinBalance`, with the balance). Idempotent by
 * the client's key: the same key again answers the redemption it made (200); with other points or
 * another reason, 409 (rule `isSameRequest`).
 */
@Injectable()
export class RedeemPointsUseCase {
  constructor(
    private readonly changes: PointsChanges,
    private readonly customers: CustomerRecords,
    private readonly config: CampaignConfig,
    private readonly clock: Clock,
  ) {}

  async execute(customerId: string, request: RedemptionRequest, caller: Principal): Promise<RedemptionAnswer> {
    const most = this.config.loyalty.maxRedemptionPoints;
    if (request.points > most) throw new FieldValidationException([{ field: 'points', rule: 'max', message: `points must not be greater than ${most}` }]);
    const record = (await this.customers.get([customerId])).get(customerId);
    if (!canReachPoints(caller, record && { rmId: record.features?.rmId, branchId: record.features?.branchId })) throw outOfReach(customerId);
    const [result] = await this.changes.apply(customerId, [{ kind: 'REDEEM', ref: redemptionRef(request.clientKey), points: request.points, at: this.clock.now().toISOString(), reason: request.reason }]).catch((error: Error) => {
      throw error instanceof PointsAccountBusyError ? new ServiceUnavailableException({ message: error.message }) : error;
    });
    if (result.status === 'REFUSED') {
      throw new ConflictException({ message: `points: ${result.requested} asked, ${result.balance} held`, errors: [{ field: 'points', rule: 'isWithinBalance', message: `points must not exceed the balance (${result.balance})` }], extensions: { balance: result.balance, requested: result.requested } });
    }
    if (result.status === 'BEFORE') {
      if (!result.sameRequest || result.entry.kind !== 'REDEMPTION') throw new ConflictException({ message: `clientKey ${request.clientKey} was used for another request`, errors: [{ field: 'clientKey', rule: 'isSameRequest', message: 'clientKey was used before with other points or another reason' }] });
      return { created: false, redemption: result.entry, balance: result.balance };
    }
    const redemption = result.entries[result.entries.length - 1];
    return { created: true, redemption, balance: result.balance };
  }
}
