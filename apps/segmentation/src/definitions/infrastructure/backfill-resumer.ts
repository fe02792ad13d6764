import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { BackfillSegmentUseCase } from '../application/backfill-segment.use-case';

/** At start, back-fills a crash left unfinished (or never recorded) go on. */
@Injectable()
export class BackfillResumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('BackfillResumer');
  private stopping = false;

  constructor(private readonly backfills: BackfillSegmentUseCase) {}

  onApplicationBootstrap(): void {
    void this.backfills.resumeUnfinished(() => this.stopping).catch((error: Error) => this.logger.warn(`unfinished back-fills not resumed (the next write or start does): ${error.message}`));
  }

  onApplicationShutdown(): void {
    this.stopping = true;
  }
}
