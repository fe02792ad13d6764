import { Logger } from '@nestjs/common';
import { ScheduledJob } from '../scheduling/scheduled-job';
import type { MongoIdempotencyGuard } from './idempotency-guards';

export interface AppliedEventsRetentionOptions {
  /** The service: one schedule per service, whatever the number of instances. */
  service: string;
  everyMs: number;
  redisUrl: string;
  /** The service's Redis key prefix. */
  prefix: string;
}

/**
 * Keeps the durable idempotency guard (`applied_events` generations) to its retention: a
 * BullMQ job scheduler prunes it every IDEMPOTENCY_SWEEP_EVERY_MINUTES, once per occurrence
 * across all instances — as ingest's de-duplication sweep does. A Nest provider: it starts
 * with the service and stops before the connections close.
 */
export function appliedEventsRetention(guard: MongoIdempotencyGuard, options: AppliedEventsRetentionOptions): ScheduledJob {
  const logger = new Logger('AppliedEventsRetention');
  return new ScheduledJob({
    name: `${options.service}-applied-events-retention`,
    everyMs: options.everyMs,
    redisUrl: options.redisUrl,
    prefix: options.prefix,
    run: async () => {
      const dropped = await guard.prune();
      if (dropped.length) logger.log(`idempotency guard: dropped ${dropped.length} generation(s) past retention (${dropped.join(', ')})`);
      return dropped;
    },
  });
}
