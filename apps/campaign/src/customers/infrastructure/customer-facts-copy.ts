import { randomUUID } from 'node:crypto';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Clock, JobQueue, JobWorker, STALLS_ALLOWED, delayJob } from '@meridian/shared';
import type { Job } from 'bullmq';
import { CampaignConfig } from '../../config/campaign.config';
import { CustomerRecordRepository } from './customer-record.repository';
import { RedisCustomerFacts } from './redis-customer-facts';
import { RedisCustomerTraces } from './redis-customer-traces';

export const FACTS_COPY_QUEUE = 'campaign-facts-copy';

/** How often an instance that finds the facts incomplete asks for the copy again (a job already waiting or running is not added twice). */
const ASK_EVERY_MS = 60_000;

/** How often a running copy says how far it got. */
const SAY_EVERY_MS = 10_000;

/** Thrown from a step when the instance is stopping: the copy goes back to the queue. */
class Stopping extends Error {}

/**
 * Copies every customer kept in MongoDB into the Redis facts (ADR 0015), in one pass over each
 * collection, then marks them complete: asked for at start and whenever a decision finds them
 * incomplete (Redis was new or lost its data). One BullMQ job (`<prefix>bull:campaign-facts-copy`,
 * id `copy`): one instance copies; one that dies mid-copy leaves it to another, which starts over
 * (every write is guarded, so a copy over news written since changes nothing newer). An erased
 * customer's traces and segmentation's news are forgotten again on the way (PIPL).
 */
@Injectable()
export class CustomerFactsCopy implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('CustomerFactsCopy');
  private readonly jobs: JobQueue<Record<string, never>>;
  private readonly worker: JobWorker<Record<string, never>>;
  private askedAt = Number.NEGATIVE_INFINITY;
  private stopping = false;

  constructor(
    private readonly config: CampaignConfig,
    private readonly mongo: CustomerRecordRepository,
    private readonly facts: RedisCustomerFacts,
    private readonly traces: RedisCustomerTraces,
    private readonly clock: Clock,
  ) {
    const redis = { redisUrl: config.REDIS_URL, prefix: config.redisPrefix };
    this.jobs = new JobQueue(FACTS_COPY_QUEUE, redis);
    // A copy whose instance died (a deploy, a crash) is taken over, however often.
    this.worker = new JobWorker(FACTS_COPY_QUEUE, (job, token) => this.process(job, token), { ...redis, concurrency: 1, what: 'facts copy', maxStalledCount: STALLS_ALLOWED });
  }

  onApplicationBootstrap(): void {
    this.worker.start();
    void this.facts.isComplete().then((complete) => (complete ? undefined : this.ask())).catch((error: Error) => this.logger.warn(`facts not looked at start: ${error.message}`));
  }

  /** Asks for the copy (at most once a minute an instance; a job already there is not added again). */
  async ask(): Promise<void> {
    const now = this.clock.now().getTime();
    if (now - this.askedAt < ASK_EVERY_MS) return;
    this.askedAt = now;
    await this.jobs.queue.add('copy', {}, { jobId: 'copy', attempts: 24 * 60, backoff: { type: 'capped' }, removeOnComplete: true, removeOnFail: true });
  }

  private async process(job: Job, token?: string): Promise<string> {
    if (await this.facts.isComplete()) return 'complete already';
    const copyToken = randomUUID();
    const runId = await this.facts.beginCopy(copyToken);
    const started = this.clock.now().getTime();
    let copied = 0;
    let said = started;
    let documents: number;
    try {
      documents = await this.mongo.replay(this.config.CAMPAIGN_FACTS_COPY_STEP, async (profiles, changes) => {
        if (this.stopping) throw new Stopping();
        await this.facts.record(profiles, changes);
        // An erasure this Redis had not kept (it was emptied, or restored from before it): what it and MongoDB kept of the customer since goes.
        const erased = profiles.filter((p) => p.status === 'ERASED').map((p) => p.customerId);
        await Promise.all([this.mongo.forgetSegments(erased), this.traces.forget(erased)]);
        copied += profiles.length + changes.length;
        if (this.clock.now().getTime() - said >= SAY_EVERY_MS) {
          said = this.clock.now().getTime();
          this.logger.log(`facts copy: ${copied} facts copied so far`);
        }
      });
    } catch (error) {
      // Shutting down: the copy goes back to the queue, for whichever instance is up.
      if (error instanceof Stopping) return delayJob(job, this.clock.now().getTime(), token);
      throw error;
    }
    // Redis lost data during the copy (emptied, restarted, failed over): what it held before is gone too — the copy runs again.
    if (!(await this.facts.markComplete(copyToken, runId))) throw new Error('facts copy: Redis lost data while it ran; copying again');
    const line = `facts copied from MongoDB: ${documents} documents (${copied} facts) in ${((this.clock.now().getTime() - started) / 1000).toFixed(1)} s`;
    this.logger.log(line);
    return line;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.worker.close();
    await this.jobs.close();
  }
}
