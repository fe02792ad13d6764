import { Inject, Injectable } from '@nestjs/common';
import { REDIS, answersOf } from '@meridian/shared';
import type Redis from 'ioredis';
import { CampaignConfig } from '../../config/campaign.config';
import { CampaignKeys, campaignKeys } from '../../redis-keys';
import { RmTask, workListRank } from '../domain/rm-task';
import { RmWorkLists } from '../application/ports/rm-task-store.port';

/** Work lists as Redis sorted sets: `cmp:{rm}:tasks:<rmId>` by workListRank, and `cmp:tasks:due` by due time. */
@Injectable()
export class RedisRmWorkLists implements RmWorkLists {
  private readonly keys: CampaignKeys;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: CampaignConfig,
  ) {
    this.keys = campaignKeys(config.redisPrefix);
  }

  async file(tasks: readonly RmTask[]): Promise<void> {
    if (!tasks.length) return;
    const batch = this.redis.multi();
    for (const t of tasks) {
      if (t.status === 'OPEN') batch.zadd(this.keys.rmTasks(t.rmId), workListRank(t), t.taskId);
      else batch.zrem(this.keys.rmTasks(t.rmId), t.taskId);
      if (t.status === 'OPEN' && t.kind !== 'ESCALATION' && !t.escalatedAt) batch.zadd(this.keys.tasksDue(), Date.parse(t.dueAt), t.taskId);
      else batch.zrem(this.keys.tasksDue(), t.taskId);
      batch.sadd(this.keys.customerTasks(t.customerId), t.taskId);
    }
    answersOf(await batch.exec());
  }

  async page(rmId: string, offset: number, limit: number): Promise<{ taskIds: string[]; total: number }> {
    const [taskIds, total] = await Promise.all([this.redis.zrange(this.keys.rmTasks(rmId), offset, offset + limit - 1), this.redis.zcard(this.keys.rmTasks(rmId))]);
    return { taskIds, total };
  }

  ofCustomer(customerId: string): Promise<string[]> {
    return this.redis.smembers(this.keys.customerTasks(customerId));
  }

  async forgetCustomer(customerId: string, tasks: readonly RmTask[]): Promise<void> {
    const batch = this.redis.multi();
    for (const t of tasks) batch.zrem(this.keys.rmTasks(t.rmId), t.taskId).zrem(this.keys.tasksDue(), t.taskId);
    batch.del(this.keys.customerTasks(customerId));
    answersOf(await batch.exec());
  }

  async postponeDue(taskId: string, until: Date): Promise<void> {
    await this.redis.zadd(this.keys.tasksDue(), 'XX', until.getTime(), taskId);
  }

  dueBy(asOf: Date, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.tasksDue(), '-inf', asOf.getTime(), 'LIMIT', 0, limit);
  }
}
