import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@meridian/shared';
import { CampaignConfig } from '../../config/campaign.config';
import { CustomerBase } from '../../customers/application/ports/customer-base.port';
import { CustomerRecords } from '../../customers/application/ports/customer-records.port';
import type { TriggerEvent } from '../domain/trigger-event';
import { CampaignCatalogue } from './campaign-catalogue';
import { DecideTriggersUseCase, TriggerResult } from './decide-triggers.use-case';
import { BatchMetrics, BatchRuns, BatchTally } from './ports/batch-runs.port';

export type BatchRunResult = 'DONE' | 'PAUSED' | 'NOT_DECIDING' | 'STOPPING';

/** The batch trigger's id: one a campaign and instant, so a customer's decision in a run is keyed by it (a run done again decides nothing twice). */
export const batchTriggerId = (campaignId: string, runAt: string) => `batch-${campaignId}-${Date.parse(runAt)}`;

/**
 * Issue 12, point 8: a scheduled campaign decided over the whole base — the customers kept in
 * Redis by partition (built once from MongoDB when missing) — a partition at a time and
 * CAMPAIGN_BATCH_STEP customers at a time, each through the same decision as a trigger's (the
 * same caps, quiet hours, budget and control arm, in one Redis step a message). Each partition
 * done is checkpointed: a run stopped (a crash, a deploy, the campaign paused) resumes at its
 * first partition not done, and a customer decided before is answered as before. Progress goes
 * to the log, `/metrics` and `GET /v1/campaigns/{id}/batch`.
 */
@Injectable()
export class RunBatchAudienceUseCase {
  private readonly logger = new Logger('BatchAudience');

  constructor(
    private readonly catalogue: CampaignCatalogue,
    private readonly base: CustomerBase,
    private readonly customers: CustomerRecords,
    private readonly decide: DecideTriggersUseCase,
    private readonly runs: BatchRuns,
    private readonly metrics: BatchMetrics,
    private readonly config: CampaignConfig,
    private readonly clock: Clock,
  ) {}

  /** `stopping`: the instance is shutting down — the run stops between steps (its job is taken up again, here or elsewhere). */
  async execute(campaignId: string, runAt: string, stopping: () => boolean = () => false): Promise<BatchRunResult> {
    const status = await this.status(campaignId, runAt);
    if (status !== 'ACTIVE') return status;
    if (!(await this.base.isBuilt())) await this.rebuildBase();
    const run = await this.runs.begin(campaignId, runAt, this.base.partitions, this.clock.now().toISOString());
    if (run.finishedAt) return 'DONE';
    const done = new Set(run.done);
    this.logger.log(`campaign ${campaignId} at ${runAt}: ${run.partitions - done.size} of ${run.partitions} partitions to go`);
    for (let partition = 0; partition < run.partitions; partition++) {
      if (done.has(partition)) continue;
      const tally: BatchTally = { read: 0, sent: 0, suppressed: 0, control: 0, postponed: 0 };
      let cursor = '0';
      do {
        // Paused (or ended) between steps: the partition is done again when the run resumes (its decisions stand).
        if (stopping()) return 'STOPPING';
        const now = await this.status(campaignId, runAt);
        if (now !== 'ACTIVE') return now;
        const step = await this.base.scan(partition, cursor, this.config.CAMPAIGN_BATCH_STEP);
        cursor = step.cursor;
        if (!step.ids.length) continue;
        const at = this.clock.now().toISOString();
        const triggers: TriggerEvent[] = [...new Set(step.ids)].map((customerId) => ({ kind: 'SCHEDULED', triggerId: batchTriggerId(campaignId, runAt), customerId, at }));
        const results = await this.decide.execute(triggers, { campaign: campaignId });
        if (results.length < triggers.length || results.some((r) => 'idle' in r)) {
          // Paused or ended while the step was decided: not checkpointed, so its customers are decided when the run resumes.
          const after = await this.status(campaignId, runAt);
          if (after !== 'ACTIVE') return after;
          throw new Error(`campaign ${campaignId}: ${triggers.length - results.filter((r) => 'outcome' in r).length} customers of partition ${partition} not decided; the run resumes`);
        }
        const added = tallyOf(results, triggers.length);
        for (const k of Object.keys(tally) as Array<keyof BatchTally>) tally[k] += added[k];
        this.metrics.stepDone(added);
      } while (cursor !== '0');
      if (!(await this.runs.partitionDone(campaignId, runAt, partition, tally))) return 'NOT_DECIDING';
      done.add(partition);
      this.metrics.partitionsDone(campaignId, done.size, run.partitions);
      this.logger.log(`campaign ${campaignId}: partition ${partition} done (${tally.read} customers: ${tally.sent} sent, ${tally.suppressed} suppressed, ${tally.control} control, ${tally.postponed} postponed); ${done.size}/${run.partitions}`);
    }
    if (!(await this.runs.finish(campaignId, runAt, this.clock.now().toISOString()))) return 'NOT_DECIDING';
    this.logger.log(`campaign ${campaignId} at ${runAt}: batch run finished`);
    return 'DONE';
  }

  /** ACTIVE and scheduled at `runAt`; PAUSED (or not started yet) waits; anything else decides nothing (ended, completed, re-scheduled, gone). */
  private async status(campaignId: string, runAt: string): Promise<'ACTIVE' | 'PAUSED' | 'NOT_DECIDING'> {
    await this.catalogue.ready();
    const stored = this.catalogue.get(campaignId)?.stored;
    const trigger = stored?.definition.trigger;
    if (!stored || trigger?.kind !== 'SCHEDULED' || Date.parse(trigger.at) !== Date.parse(runAt)) return 'NOT_DECIDING';
    const { startAt, endAt } = stored.definition;
    const now = this.clock.now().getTime();
    // Before its start (a job a moment early, a clock behind) the run waits as a paused one does.
    if (stored.status === 'PAUSED' || (stored.status === 'ACTIVE' && now < Date.parse(startAt))) return 'PAUSED';
    return stored.status === 'ACTIVE' && (endAt === undefined || now < Date.parse(endAt)) ? 'ACTIVE' : 'NOT_DECIDING';
  }

  /** The base from every customer kept in MongoDB: one pass over the collection, the first time (or after Redis lost it). */
  private async rebuildBase(): Promise<void> {
    this.logger.log('the customer base is not in Redis: building it from the customers kept');
    const n = await this.customers.eachCustomer(1_000, (batch) => this.base.record(batch));
    await this.base.markBuilt();
    this.logger.log(`the customer base is built: ${n} customers read`);
  }
}

function tallyOf(results: readonly TriggerResult[], read: number): BatchTally {
  const tally: BatchTally = { read, sent: 0, suppressed: 0, control: 0, postponed: 0 };
  for (const r of results) {
    if (!('outcome' in r)) continue;
    const kind = r.outcome.kind;
    if (kind === 'SENT') tally.sent++;
    else if (kind === 'SUPPRESSED') tally.suppressed++;
    else if (kind === 'POSTPONED') tally.postponed++;
    else tally.control++;
  }
  return tally;
}
