import { Inject, Injectable } from '@nestjs/common';
import { REDIS, answersOf } from '@meridian/shared';
import type Redis from 'ioredis';
import { CampaignConfig } from '../../config/campaign.config';
import { CampaignKeys, campaignKeys } from '../../redis-keys';
import { Lead, isOpen } from '../domain/lead';
import { LeadIndex, LeadQuery } from '../application/ports/lead-index.port';

/** Every index a lead is filed in: its status's (all branches and its branch's), and OPEN's while open. */
function filesOf(keys: CampaignKeys, lead: Lead): string[] {
  const statuses = [lead.status, ...(isOpen(lead) ? ['OPEN'] : [])];
  return statuses.flatMap((s) => [keys.leadIndex(s), ...(lead.branchId ? [keys.leadIndex(s, lead.branchId)] : [])]);
}

/** The leads' indexes in Redis: a sorted set by status (OPEN: every open one) and branch, scored by the lead's score. */
@Injectable()
export class RedisLeadIndex implements LeadIndex {
  private readonly keys: CampaignKeys;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: CampaignConfig,
  ) {
    this.keys = campaignKeys(config.redisPrefix);
  }

  async file(lead: Lead | undefined, before?: Lead): Promise<void> {
    const customerId = lead?.customerId ?? before?.customerId;
    if (!customerId) return;
    const now = new Set(lead ? filesOf(this.keys, lead) : []);
    const batch = this.redis.multi();
    for (const key of before ? filesOf(this.keys, before) : []) if (!now.has(key)) batch.zrem(key, customerId);
    for (const key of now) batch.zadd(key, lead?.score ?? 0, customerId);
    answersOf(await batch.exec());
  }

  async find(q: LeadQuery): Promise<Array<{ customerId: string; score: number }>> {
    const key = this.keys.leadIndex(q.status ?? 'OPEN', q.branchId);
    const max = q.after ? Math.min(q.maxScore, q.after.score) : q.maxScore;
    const found: Array<{ customerId: string; score: number }> = [];
    // Highest score first; within a score, customerId descending (ZREVRANGEBYSCORE's order): a page resumes after its last.
    for (let offset = 0; found.length < q.limit; ) {
      const step = await this.redis.zrevrangebyscore(key, max, q.minScore, 'WITHSCORES', 'LIMIT', offset, q.limit * 2);
      if (!step.length) break;
      for (let i = 0; i < step.length; i += 2) {
        const hit = { customerId: step[i], score: Number(step[i + 1]) };
        if (q.after && hit.score === q.after.score && hit.customerId >= q.after.customerId) continue;
        if (found.length < q.limit) found.push(hit);
      }
      offset += step.length / 2;
    }
    return found;
  }

  async openAmong(customerIds: readonly string[]): Promise<Set<string>> {
    if (!customerIds.length) return new Set();
    const scores = await this.redis.zmscore(this.keys.leadIndex('OPEN'), ...customerIds);
    return new Set(customerIds.filter((_, i) => scores[i] !== null));
  }
}
