import { Injectable, Logger } from '@nestjs/common';
import { Clock, mapLimit } from '@meridian/shared';
import { PointsChanges } from './points-changes';
import { PointsMarks } from './ports/points-marks.port';

/** A write marked this long ago and still unannounced is a failure's, not one in flight. */
const SETTLED_AFTER_MS = 30_000;
const STEP = 500;

/**
 * The announce job: accounts written but whose entries were not announced (Kafka down after the
 * write, an instance gone) are announced — the entries after the last announced, under their own
 * eventIds — so an account nobody touches again still tells the bus what it holds.
 */
@Injectable()
export class AnnouncePointsUseCase {
  private readonly logger = new Logger('AnnouncePoints');

  constructor(
    private readonly changes: PointsChanges,
    private readonly marks: PointsMarks,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<number> {
    const marked = await this.marks.unannouncedSince(new Date(this.clock.now().getTime() - SETTLED_AFTER_MS), STEP);
    let settled = 0;
    await mapLimit(marked, 8, async (customerId) => {
      try {
        await this.changes.settle(customerId);
        settled += 1;
      } catch (error) {
        this.logger.warn(`points of ${customerId} still unannounced: ${(error as Error).message}`);
      }
    });
    return settled;
  }
}
