import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Clock, createRedis } from '@meridian/shared';
import { JobsOptions, Queue } from 'bullmq';
import type Redis from 'ioredis';
import { ServiceDeskConfig } from '../../config/service-desk.config';
import { SlaTimers, TicketTimerEffects } from '../application/ports/sla-timers.port';
import { SlaCalendars } from '../application/sla-calendars';
import { stageDueAt } from '../application/sla-stage-due';
import { SlaStage, SlaTimer } from '../domain/ticket';

export const SLA_STAGE_QUEUE = 'service-desk-sla-stages';
export const SLA_STAGE_JOB = 'sla-stage';

/**
 * A job per ticket, timer, stage and run of the clock (its runningSince, in ms): a clock that
 * resumes gets new jobs, so scheduling never meets the old run's job still being worked
 * (BullMQ can remove neither a running job nor add a second one under its id). BullMQ refuses
 * ':' in a custom id; ticket ids are base64url, so '.' separates.
 */
export const slaStageJobId = (ticketId: string, timer: SlaTimer, stage: SlaStage, runningSince: Date) => `${ticketId}.${timer}.${stage}.${new Date(runningSince).getTime()}`;

/**
 * A job retries for as long as the ticket's store, Redis or the event bus is down — every
 * attempt re-reads the ticket, so a retry cannot escalate twice — at growing intervals capped
 * at a minute (the worker's backoff strategy); completed jobs go.
 */
export const SLA_JOB_OPTIONS: JobsOptions = { attempts: Number.MAX_SAFE_INTEGER, backoff: { type: 'capped' }, removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } };


/** The SLA stage jobs on BullMQ (`<prefix>bull:service-desk-sla-stages`): added at their due instant, removed when their clock stops or pauses. */
@Injectable()
export class SlaStageQueue implements SlaTimers, OnApplicationShutdown {
  private readonly connection: Redis;
  readonly queue: Queue;

  constructor(
    config: ServiceDeskConfig,
    private readonly calendars: SlaCalendars,
    private readonly clock: Clock,
  ) {
    // Fails fast while Redis is away (the change's caller sees it and the ticket stays unsettled), unlike a worker's connection.
    this.connection = createRedis(config.REDIS_URL);
    this.queue = new Queue(SLA_STAGE_QUEUE, { connection: this.connection, prefix: `${config.redisPrefix}bull` });
  }

  async apply(changes: readonly TicketTimerEffects[]): Promise<void> {
    // The last effect on a job decides (a write's pending SCHEDULE, then this write's CANCEL: none).
    const last = new Map<string, { ticketId: string; fresh?: boolean; effect: TicketTimerEffects['effects'][number] }>();
    for (const { ticketId, effects, fresh } of changes) {
      for (const effect of effects) {
        const since = effect.kind === 'CANCEL' ? effect.runningSince : effect.clock.runningSince;
        last.set(slaStageJobId(ticketId, effect.timer, effect.stage, since), { ticketId, fresh, effect });
      }
    }
    // A fresh ticket has no jobs yet; otherwise the stage's job goes first (a job being run cannot be removed: it re-reads the ticket).
    await Promise.all([...last].filter(([, e]) => !e.fresh).map(([jobId]) => this.queue.remove(jobId)));
    const now = this.clock.now().getTime();
    const adds = [...last].flatMap(([jobId, { ticketId, effect }]) =>
      effect.kind === 'CANCEL'
        ? []
        : [{ name: SLA_STAGE_JOB, data: { ticketId, timer: effect.timer, stage: effect.stage, runningSince: new Date(effect.clock.runningSince).toISOString() }, opts: { ...SLA_JOB_OPTIONS, jobId, delay: Math.max(0, stageDueAt(effect, this.calendars).getTime() - now) } }],
    );
    if (adds.length) await this.queue.addBulk(adds);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }
}
