import { Inject, Injectable } from '@nestjs/common';
import { REDIS } from '@meridian/shared';
import type Redis from 'ioredis';
import { CampaignConfig } from '../../config/campaign.config';
import { CampaignKeys, campaignKeys } from '../../redis-keys';
import { BatchRun, BatchRuns, BatchTally } from '../application/ports/batch-runs.port';

const COUNTS = ['read', 'sent', 'suppressed', 'control', 'postponed'] as const;

/**
 * KEYS: the run's hash. ARGV: runAt, partitions, now. A run at another instant, or over another
 * partition count (its checkpoints name other customers), is begun afresh — its decisions stand,
 * keyed by the run's trigger; the same one is kept as it stands.
 */
const BEGIN = `
if redis.call('HGET', KEYS[1], 'runAt') ~= ARGV[1] or redis.call('HGET', KEYS[1], 'partitions') ~= ARGV[2] then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'runAt', ARGV[1], 'partitions', ARGV[2], 'startedAt', ARGV[3])
end
return redis.call('HGETALL', KEYS[1])`;

/** KEYS: the run's hash. ARGV: runAt, then field/increment pairs (HINCRBY), then `set`, field, value pairs (HSET). Only on the run of that instant. */
const WRITE = `
if redis.call('HGET', KEYS[1], 'runAt') ~= ARGV[1] then return 0 end
local i = 2
while i <= #ARGV do
  if ARGV[i] == 'set' then redis.call('HSET', KEYS[1], ARGV[i + 1], ARGV[i + 2]); i = i + 3
  else redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1]); i = i + 2 end
end
return 1`;

/** Each campaign's batch run as a Redis hash (`<prefix>cmp:batch:<campaignId>`): its instant, `done:<partition>` marks, counts, start and end. */
@Injectable()
export class RedisBatchRuns implements BatchRuns {
  private readonly keys: CampaignKeys;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: CampaignConfig,
  ) {
    this.keys = campaignKeys(config.redisPrefix);
  }

  async begin(campaignId: string, runAt: string, partitions: number, now: string): Promise<BatchRun & { done: ReadonlySet<number> }> {
    const flat = (await this.redis.eval(BEGIN, 1, this.keys.batch(campaignId), runAt, partitions, now)) as string[];
    const fields: Record<string, string> = {};
    for (let i = 0; i < flat.length; i += 2) fields[flat[i]] = flat[i + 1];
    return runOf(campaignId, fields);
  }

  async partitionDone(campaignId: string, runAt: string, partition: number, tally: BatchTally): Promise<boolean> {
    const counts = COUNTS.flatMap((k) => (tally[k] ? [k, String(tally[k])] : []));
    return (await this.redis.eval(WRITE, 1, this.keys.batch(campaignId), runAt, ...counts, 'set', `done:${partition}`, '1')) === 1;
  }

  async finish(campaignId: string, runAt: string, now: string): Promise<boolean> {
    return (await this.redis.eval(WRITE, 1, this.keys.batch(campaignId), runAt, 'set', 'finishedAt', now)) === 1;
  }

  async get(campaignId: string): Promise<BatchRun | undefined> {
    const fields = await this.redis.hgetall(this.keys.batch(campaignId));
    if (!fields.runAt) return undefined;
    const { done: _done, ...run } = runOf(campaignId, fields);
    return run;
  }
}

function runOf(campaignId: string, f: Record<string, string>): BatchRun & { done: ReadonlySet<number> } {
  const done = new Set(Object.keys(f).filter((k) => k.startsWith('done:')).map((k) => Number(k.slice('done:'.length))));
  const count = (k: string) => Number(f[k] ?? 0);
  return {
    campaignId,
    runAt: f.runAt,
    partitions: count('partitions'),
    partitionsDone: done.size,
    read: count('read'),
    sent: count('sent'),
    suppressed: count('suppressed'),
    control: count('control'),
    postponed: count('postponed'),
    startedAt: f.startedAt,
    ...(f.finishedAt && { finishedAt: f.finishedAt }),
    done,
  };
}
