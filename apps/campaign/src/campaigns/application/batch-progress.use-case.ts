import { Injectable, NotFoundException } from '@nestjs/common';
import { BatchRun, BatchRuns } from './ports/batch-runs.port';

/** GET /v1/campaigns/{id}/batch: a scheduled campaign's batch run, as far as it went (404 before it began). */
@Injectable()
export class BatchProgressUseCase {
  constructor(private readonly runs: BatchRuns) {}

  async execute(campaignId: string): Promise<BatchRun> {
    const run = await this.runs.get(campaignId);
    if (!run) throw new NotFoundException(`campaign ${campaignId} has no batch run (a SCHEDULED campaign runs at its instant once ACTIVE)`);
    return run;
  }
}
