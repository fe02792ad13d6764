import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Clock, JobQueue } from '@meridian/shared';
import type { JobsOptions } from 'bullmq';
import { CampaignConfig } from '../../config/campaign.config';
import { Postponement, Postponements } from '../application/ports/postponements.port';
import type { TriggerEvent } from '../domain/trigger-event';

export const POSTPONED_QUEUE = 'campaign-postponed-decisions';
export const POSTPONED_JOB = 'decide-again';

export interface PostponedJobData {
  campaignId: string;
  trigger: TriggerEvent;
}

/**
 * A job per message and window end (or per message waiting for its profile): a redelivered trigger
 * that finds the same postponement adds nothing (BullMQ keeps one job per id; ':' is refused in
 * ids, message ids are base64url); a decision still quiet at its retry re-times its own job.
 */
export const postponedJobId = (p: Postponement) => ('until' in p ? `${p.messageId}.${Date.parse(p.until)}` : `${p.messageId}.wait`);

/**
 * Retried while Redis, storage or the bus are down, or the profile a decision waits for has not
 * come — every attempt decides from scratch, under the ledger's key — at growing intervals
 * capped at a minute, for a day; then kept a week among the failed jobs (and said in the log).
 */
export const POSTPONED_JOB_OPTIONS: JobsOptions = { attempts: 24 * 60, backoff: { type: 'capped' }, removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } };

/** Postponed decisions as BullMQ delayed jobs (`<prefix>bull:campaign-postponed-decisions`): quiet hours postpone, never drop. */
@Injectable()
export class PostponedDecisionQueue implements Postponements, OnApplicationShutdown {
  private readonly jobs: JobQueue<PostponedJobData>;

  constructor(
    config: CampaignConfig,
    private readonly clock: Clock,
  ) {
    this.jobs = new JobQueue<PostponedJobData>(POSTPONED_QUEUE, { redisUrl: config.REDIS_URL, prefix: config.redisPrefix });
  }

  async postpone(items: readonly Postponement[]): Promise<void> {
    if (!items.length) return;
    const now = this.clock.now().getTime();
    await this.jobs.queue.addBulk(
      items.map((p) => ({ name: POSTPONED_JOB, data: { campaignId: p.campaignId, trigger: p.trigger }, opts: { ...POSTPONED_JOB_OPTIONS, jobId: postponedJobId(p), delay: 'until' in p ? Math.max(0, Date.parse(p.until) - now) : 0 } })),
    );
  }

  onApplicationShutdown(): Promise<void> {
    return this.jobs.close();
  }
}
