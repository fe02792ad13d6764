import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EventEnvelope, LifecycleStageChanged, TOPICS } from '@meridian/events';
import { BatchEventPattern, BatchOutcome, BatchRecord, ofType } from '@meridian/events/kafka';
import { SEGMENT_NEWS } from '../../customers/domain/segment-news';
import { RetentionCallsUseCase } from '../../leads/application/retention-calls.use-case';
import { ScoreLeadsUseCase } from '../../leads/application/score-leads.use-case';
import { ApplySegmentNewsUseCase } from '../application/apply-segment-news.use-case';

/** crm.segment.v1: segmentation's news, kept as facts, decided as triggers (issue 12, point 2), and the leads it moves rescored. */
@Controller()
export class SegmentNewsConsumer {
  constructor(
    private readonly apply: ApplySegmentNewsUseCase,
    private readonly leads: ScoreLeadsUseCase,
    private readonly retention: RetentionCallsUseCase,
  ) {}

  @BatchEventPattern([TOPICS.segment], { types: SEGMENT_NEWS })
  async onSegmentNews(@Payload() records: BatchRecord[]): Promise<BatchOutcome[]> {
    const { envelopes, outcomes } = ofType(records, ...SEGMENT_NEWS);
    if (envelopes.length) await this.apply.execute(envelopes);
    // Leads move with the tier and the HIGH_POTENTIAL tag: rescored once segmentation's news is kept (issue 13, point 1).
    await this.leads.execute(envelopes.flatMap((e) => (e.customerId ? [{ customerId: e.customerId, at: e.occurredAt }] : [])));
    // A DIAMOND customer turning AT_RISK: their RM's retention call within 24 h (issue 13, point 3).
    await this.retention.execute(envelopes.filter((e): e is EventEnvelope<LifecycleStageChanged> => e.type === 'LifecycleStageChanged'));
    return outcomes;
  }
}
