import { Inject, Injectable } from '@nestjs/common';
import { REDIS, answersOf } from '@meridian/shared';
import type Redis from 'ioredis';
import { CampaignConfig } from '../../config/campaign.config';
import { CampaignKeys, campaignKeys } from '../../redis-keys';
import type { IntentSignal } from '../domain/intent-signal';
import { IntentSignals } from '../application/ports/intent-signals.port';

const DAY_MS = 86_400_000;

/** Intent signals in Redis: a sorted set a customer (member = the signal as JSON, score = its instant), trimmed to the window, expiring with it. */
@Injectable()
export class RedisIntentSignals implements IntentSignals {
  private readonly keys: CampaignKeys;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: CampaignConfig,
  ) {
    this.keys = campaignKeys(config.redisPrefix);
  }

  async record(signals: ReadonlyArray<IntentSignal & { customerId: string }>, keepDays: number): Promise<void> {
    if (!signals.length) return;
    const batch = this.redis.multi();
    const newest = new Map<string, number>();
    for (const { customerId, ...signal } of signals) {
      const at = Date.parse(signal.at);
      // The member is the signal itself (its interactionId in it): the same interaction again is the same member.
      batch.zadd(this.keys.intent(customerId), at, JSON.stringify({ kind: signal.kind, topic: signal.topic, interactionId: signal.interactionId, at: signal.at }));
      newest.set(customerId, Math.max(newest.get(customerId) ?? 0, at));
    }
    for (const [customerId, at] of newest) {
      batch.zremrangebyscore(this.keys.intent(customerId), '-inf', `(${at - keepDays * DAY_MS}`);
      batch.pexpire(this.keys.intent(customerId), keepDays * DAY_MS);
    }
    answersOf(await batch.exec());
  }

  async of(customerIds: readonly string[]): Promise<Map<string, IntentSignal[]>> {
    if (!customerIds.length) return new Map();
    const batch = this.redis.pipeline();
    for (const id of customerIds) batch.zrange(this.keys.intent(id), 0, -1);
    const answers = answersOf(await batch.exec()) as string[][];
    return new Map(customerIds.map((id, i) => [id, answers[i].map((m) => JSON.parse(m) as IntentSignal)]));
  }
}
