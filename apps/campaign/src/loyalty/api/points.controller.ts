import { BadRequestException, Body, ConflictException, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Clock, CurrentPrincipal, Principal, Roles } from '@meridian/shared';
import type { PointsEntry } from '../domain/points-ledger';
import { AwardPointsUseCase } from '../application/award-points.use-case';
import { ClaimReferralUseCase } from '../application/claim-referral.use-case';
import { ExpirePointsUseCase, ExpiryRun } from '../application/expire-points.use-case';
import { PointsView, ReadPointsUseCase } from '../application/read-points.use-case';
import { RedeemPointsUseCase, RedemptionAnswer } from '../application/redeem-points.use-case';
import { ExpiryRunBody } from './expiry-run.body';
import { PointsPageQuery } from './points-page.query';
import { RedemptionBody } from './redemption.body';
import { ReferralBody } from './referral.body';

/** Who sees a customer's points: their RM, the branch (manager, teller), the contact centre, the bank's systems, administrators and auditors (scope: canReachPoints). */
const READERS = ['RM', 'BRANCH_MANAGER', 'TELLER', 'SERVICE_AGENT', 'SYSTEM', 'ADMIN', 'AUDITOR'] as const;
/** Who redeems on the customer's behalf: the counter, the contact centre, the rewards system. */
const REDEEMERS = ['TELLER', 'SERVICE_AGENT', 'SYSTEM', 'ADMIN'] as const;

@ApiTags('loyalty points')
@ApiBearerAuth()
@Controller('v1')
export class PointsController {
  constructor(
    private readonly read: ReadPointsUseCase,
    private readonly redeem: RedeemPointsUseCase,
    private readonly expire: ExpirePointsUseCase,
    private readonly award: AwardPointsUseCase,
    private readonly referrals: ClaimReferralUseCase,
    private readonly clock: Clock,
  ) {}

  @Get('customers/:customerId/points')
  @Roles(...READERS)
  @ApiOperation({ summary: 'The customer’s points: balance, next expiry, and the ledger newest first (paged by `cursor`)' })
  @ApiNotFoundResponse({ description: 'a customer outside the caller’s reach' })
  points(@Param('customerId') customerId: string, @Query() query: PointsPageQuery, @CurrentPrincipal() caller: Principal): Promise<PointsView> {
    return this.read.execute(customerId, caller, { limit: query.limit ?? 50, before: query.cursor === undefined ? undefined : Number(query.cursor) });
  }

  @Post('customers/:customerId/points/redemptions')
  @Roles(...REDEEMERS)
  @ApiOperation({ summary: 'Spend points, oldest first; never overdraws (409 isWithinBalance); idempotent by clientKey (the same request again: 200, the same redemption)' })
  @ApiCreatedResponse({ description: 'redeemed: the entry and the balance after it' })
  @ApiOkResponse({ description: 'this clientKey’s redemption, made before' })
  @ApiConflictResponse({ description: 'more points than the balance, or the clientKey used for another request' })
  async redeemPoints(@Param('customerId') customerId: string, @Body() body: RedemptionBody, @CurrentPrincipal() caller: Principal, @Res({ passthrough: true }) res: { status(code: number): unknown }): Promise<RedemptionAnswer> {
    const answer = await this.redeem.execute(customerId, body, caller);
    res.status(answer.created ? HttpStatus.CREATED : HttpStatus.OK);
    return answer;
  }

  @Post('customers/:customerId/points/referrals')
  @Roles('SYSTEM', 'ADMIN')
  @ApiOperation({ summary: 'The customer referred another: the referral bonus (LOYALTY_REFERRAL_POINTS), once a referred customer (the same again: 200, the same award)' })
  @ApiCreatedResponse({ description: 'awarded: the entry and the balance after it' })
  async referral(@Param('customerId') customerId: string, @Body() body: ReferralBody, @Res({ passthrough: true }) res: { status(code: number): unknown }): Promise<{ created: boolean; award: PointsEntry; balance: number }> {
    if (body.referredCustomerId === customerId) throw new BadRequestException({ message: 'a customer cannot refer themselves', errors: [{ field: 'referredCustomerId', rule: 'isOtherCustomer', message: 'referredCustomerId must be another customer' }] });
    // Once a referred customer across the bank: the first referrer's claim stands.
    if ((await this.referrals.execute(body.referredCustomerId, customerId)) !== 'MINE') throw new ConflictException({ message: `${body.referredCustomerId} was referred by another customer`, errors: [{ field: 'referredCustomerId', rule: 'isFirstReferral', message: 'referredCustomerId was referred by another customer before' }] });
    const [result] = await this.award.execute([{ kind: 'REFERRAL', customerId, referredCustomerId: body.referredCustomerId, at: this.clock.now().toISOString() }]);
    if (!result) throw new BadRequestException({ message: 'referrals earn no points here (LOYALTY_REFERRAL_POINTS is 0)', errors: [{ field: 'referredCustomerId', rule: 'earnsPoints', message: 'referrals earn no points (LOYALTY_REFERRAL_POINTS is 0)' }] });
    if (result.status === 'REFUSED') throw new Error('an award cannot be refused');
    res.status(result.status === 'APPLIED' ? HttpStatus.CREATED : HttpStatus.OK);
    return result.status === 'APPLIED' ? { created: true, award: result.entries[result.entries.length - 1], balance: result.balance } : { created: false, award: result.entry, balance: result.balance };
  }

  @Post('points/expiries')
  @HttpCode(HttpStatus.OK)
  @Roles('ADMIN', 'SYSTEM')
  @ApiOperation({ summary: 'Expire every lapsed lot as of `asOf` (what the daily job does at its instant): the accounts due, read from the due index' })
  expiries(@Body() body: ExpiryRunBody): Promise<ExpiryRun> {
    return this.expire.execute(new Date(body.asOf));
  }
}
