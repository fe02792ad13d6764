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

/** BullMQ refuses ':' in a custom id; ticket ids are base64url, so '.' separates. */
export const slaStageJobId = (ticketId: string, timer: SlaTimer, stage: SlaStage) => `${ticketId}.${timer}.${stage}`;

/**
 * A job retries while the ticket's store or the event bus is down (each attempt re-reads the
 * ticket, so a retry cannot escalate twice), then stays failed for an operator; completed jobs
 * go, so a stage's id can be scheduled again after a reopen.
 */
export const SLA_JOB_OPTIONS: JobsOptions = { attempts: 12, backoff: { type: 'exponential', delay: 1_000 }, removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } };

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
    const now = this.clock.now().getTime();
    const adds: Parameters<Queue['addBulk']>[0] = [];
    for (const { ticketId, effects, fresh } of changes) {
      for (const effect of effects) {
        if (effect.kind === 'RETARGET') continue;
        const jobId = slaStageJobId(ticketId, effect.timer, effect.stage);
        // A fresh ticket has no jobs yet; otherwise the stage's old job goes first (a job being run cannot be removed: it re-reads the ticket).
        if (!fresh) await this.queue.remove(jobId);
        if (effect.kind === 'SCHEDULE') {
          const delay = Math.max(0, stageDueAt(effect, this.calendars).getTime() - now);
          adds.push({ name: SLA_STAGE_JOB, data: { ticketId, timer: effect.timer, stage: effect.stage }, opts: { ...SLA_JOB_OPTIONS, jobId, delay } });
        }
      }
    }
    if (adds.length) await this.queue.addBulk(adds);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }
}
