import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TOPICS } from '@meridian/events';
import { BatchEventPattern, BatchOutcome, BatchRecord, ofType } from '@meridian/events/kafka';
import { SEGMENT_NEWS } from '../../customers/domain/segment-news';
import { ApplySegmentNewsUseCase } from '../application/apply-segment-news.use-case';

/** crm.segment.v1: segmentation's news, kept as facts and decided as triggers (issue 12, point 2). */
@Controller()
export class SegmentNewsConsumer {
  constructor(private readonly apply: ApplySegmentNewsUseCase) {}

  @BatchEventPattern([TOPICS.segment], { types: SEGMENT_NEWS })
  async onSegmentNews(@Payload() records: BatchRecord[]): Promise<BatchOutcome[]> {
    const { envelopes, outcomes } = ofType(records, ...SEGMENT_NEWS);
    if (envelopes.length) await this.apply.execute(envelopes);
    return outcomes;
  }
}
