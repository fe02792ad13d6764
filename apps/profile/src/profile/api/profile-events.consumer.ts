import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TOPICS } from '@meridian/events';
import { BatchEventPattern, BatchOutcome, BatchRecord } from '@meridian/events/kafka';
import { ApplyCustomerErasedUseCase } from '../application/apply-customer-erased.use-case';
import { FoldProfileEventsUseCase } from '../application/fold-profile-events.use-case';
import { RebuildIdentityUseCase } from '../application/rebuild-identity.use-case';
import { routeProfileRecords } from '../application/route-profile-records';

/**
 * The profile's Kafka door: the canonical topics, tickets and governance, a run at a time.
 * Profile events are folded together (one write per customer per run); governance events
 * after them, one by one, in order.
 */
@Controller()
export class ProfileEventsConsumer {
  constructor(
    private readonly fold: FoldProfileEventsUseCase,
    private readonly rebuild: RebuildIdentityUseCase,
    private readonly erased: ApplyCustomerErasedUseCase,
  ) {}

  @BatchEventPattern([TOPICS.customer, TOPICS.product, TOPICS.transaction, TOPICS.interaction, TOPICS.ticket, TOPICS.governance])
  async onEvents(@Payload() records: BatchRecord[]): Promise<BatchOutcome[]> {
    const { outcomes, folds, governance } = routeProfileRecords(records);
    if (folds.length) for (const [index, outcome] of await this.fold.execute(folds)) outcomes[index] = outcome;
    for (const item of governance) outcomes[item.index] = await (item.envelope.type === 'CustomerErased' ? this.erased.execute(item) : this.rebuild.execute(item));
    return outcomes;
  }
}
