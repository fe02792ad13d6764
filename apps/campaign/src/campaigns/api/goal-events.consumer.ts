import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { CanonicalTransactionPosted, EventEnvelope, ProductOpened, ProfileUpdated, TOPICS } from '@meridian/events';
import { BatchEventPattern, BatchOutcome, BatchRecord, ofType } from '@meridian/events/kafka';
import { RecordProfilesUseCase } from '../../customers/application/record-profiles.use-case';
import { AttributeConversionsUseCase } from '../application/attribute-conversions.use-case';
import { ForgetLeadsUseCase } from '../../leads/application/forget-leads.use-case';
import { ScoreLeadsUseCase } from '../../leads/application/score-leads.use-case';
import { AwardPointsUseCase } from '../../loyalty/application/award-points.use-case';
import { ForgetPointsUseCase } from '../../loyalty/application/forget-points.use-case';
import type { PointsEarned } from '../../loyalty/domain/earned-points';
import { DecideActivityUseCase } from '../application/decide-activity.use-case';
import type { GoalEvent } from '../domain/conversion';
import type { TriggerEvent } from '../domain/trigger-event';

/** A new customer's first product can come before their first profile: the decision waits for one (no consent is known before). */
const FIRST_PROFILE = 1;

const base = (e: EventEnvelope<unknown>, customerId: string) => ({ eventId: e.eventId, customerId, at: e.occurredAt });

/**
 * The business outcomes campaigns are measured against (issue 12, point 5): products opened
 * (crm.product.v1), transactions (crm.transaction.v1) and the AUM each ProfileUpdated shows
 * (crm.profile.v1, whose features campaign also keeps for its decisions); the products opened
 * and transactions as triggers of the campaigns they set off; and card purchases as loyalty points.
 */
@Controller()
export class GoalEventsConsumer {
  constructor(
    private readonly profiles: RecordProfilesUseCase,
    private readonly attribute: AttributeConversionsUseCase,
    private readonly activity: DecideActivityUseCase,
    private readonly points: AwardPointsUseCase,
    private readonly leads: ScoreLeadsUseCase,
    private readonly forgetPoints: ForgetPointsUseCase,
    private readonly forgetLeads: ForgetLeadsUseCase,
  ) {}

  @BatchEventPattern([TOPICS.profile], { types: ['ProfileUpdated'] })
  async onProfiles(@Payload() records: BatchRecord[]): Promise<BatchOutcome[]> {
    const { envelopes, outcomes } = ofType<ProfileUpdated>(records, 'ProfileUpdated');
    if (!envelopes.length) return outcomes;
    await this.profiles.execute(envelopes);
    // PIPL: an erased customer's points ledger, lead and tasks go with the rest of what campaign kept of them.
    const erased = envelopes.filter((e) => e.payload.status === 'ERASED').map((e) => e.payload.customerId);
    await this.forgetPoints.execute(erased);
    await this.forgetLeads.execute(erased);
    // Leads move with the profile (AUM, products, RM, branch): rescored as of its instant (issue 13, point 1).
    await this.leads.execute(envelopes.map((e) => ({ customerId: e.payload.customerId, at: e.occurredAt })));
    await this.attribute.execute(envelopes.filter((e) => (e.payload.status ?? 'ACTIVE') === 'ACTIVE').map((e): GoalEvent => ({ ...base(e, e.payload.customerId), kind: 'AUM', aumMinor: e.payload.features.aumMinor, version: e.payload.version })));
    return outcomes;
  }

  @BatchEventPattern([TOPICS.product], { types: ['ProductOpened'] })
  async onProducts(@Payload() records: BatchRecord[]): Promise<BatchOutcome[]> {
    const { envelopes, outcomes } = ofType<ProductOpened>(records, 'ProductOpened');
    await this.attribute.execute(envelopes.flatMap((e): GoalEvent[] => (e.customerId ? [{ ...base(e, e.customerId), kind: 'PRODUCT_OPENED', productType: e.payload.productType }] : [])));
    await this.activity.execute(envelopes.flatMap((e): TriggerEvent[] => (e.customerId ? [{ triggerId: e.eventId, customerId: e.customerId, at: e.occurredAt, profileVersion: FIRST_PROFILE, kind: 'PRODUCT_OPENED', productType: e.payload.productType }] : [])));
    return outcomes;
  }

  @BatchEventPattern([TOPICS.transaction], { types: ['TransactionPosted'] })
  async onTransactions(@Payload() records: BatchRecord[]): Promise<BatchOutcome[]> {
    const { envelopes, outcomes } = ofType<CanonicalTransactionPosted>(records, 'TransactionPosted');
    const amount = (e: EventEnvelope<CanonicalTransactionPosted>) => e.payload.amountCnyMinor ?? e.payload.amountMinor;
    await this.attribute.execute(envelopes.flatMap((e): GoalEvent[] => (e.customerId ? [{ ...base(e, e.customerId), kind: 'TRANSACTION', category: e.payload.category, amountMinor: amount(e) }] : [])));
    await this.activity.execute(envelopes.flatMap((e): TriggerEvent[] => (e.customerId ? [{ triggerId: e.eventId, customerId: e.customerId, at: e.occurredAt, profileVersion: FIRST_PROFILE, kind: 'TRANSACTION', category: e.payload.category, amountMinor: amount(e) }] : [])));
    // Loyalty points for card purchases (issue 13, point 4): earned when booked, once by the transaction's own reference.
    await this.points.execute(envelopes.flatMap((e): PointsEarned[] => (e.customerId ? [{ kind: 'PURCHASE', customerId: e.customerId, transaction: { ...e.payload, amountCnyMinor: amount(e), at: e.payload.bookedAt ?? e.occurredAt } }] : [])));
    return outcomes;
  }
}
