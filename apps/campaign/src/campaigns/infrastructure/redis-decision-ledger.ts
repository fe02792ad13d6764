import { Inject, Injectable } from '@nestjs/common';
import { REDIS } from '@meridian/shared';
import type Redis from 'ioredis';
import { CampaignConfig } from '../../config/campaign.config';
import { isoWeekOf } from '../domain/kpi-watch';
import { CampaignKeys, DAY_MS, MEMORY_DAYS, campaignKeys } from '../../redis-keys';
import { CampaignCounters } from '../application/ports/campaign-counters.port';
import { DecisionLedger, LedgerEntry, LedgerOutcome, MessageParts } from '../application/ports/decision-ledger.port';
import { SETTLE_SCRIPT } from './settle.script';

type Settling = Redis & { campaignSettle(...args: (string | number)[]): Promise<[number, string]> };

/** The decision ledger on Redis: one Lua script a message, pipelined for a batch (a single Redis, not a cluster: the keys span customers and campaigns). */
@Injectable()
export class RedisDecisionLedger implements DecisionLedger {
  private readonly redis: Settling;
  private readonly keys: CampaignKeys;

  private readonly week: (at: Date) => string;

  constructor(@Inject(REDIS) redis: Redis, config: CampaignConfig) {
    redis.defineCommand('campaignSettle', { numberOfKeys: 7, lua: SETTLE_SCRIPT });
    this.redis = redis as Settling;
    this.keys = campaignKeys(config.redisPrefix);
    const zone = config.rules.defaultTimeZone;
    this.week = (at) => isoWeekOf(at, zone);
  }

  async settle(entries: readonly LedgerEntry[]): Promise<Array<LedgerOutcome | undefined>> {
    if (!entries.length) return [];
    const pipeline = this.redis.pipeline() as unknown as { campaignSettle(...args: (string | number)[]): void; exec(): Promise<[Error | null, unknown][] | null> };
    for (const e of entries) {
      const k = this.keys;
      const c = e.plan.kind === 'CANDIDATE' ? e.plan.candidate : undefined;
      const parts: MessageParts | undefined = c && { channel: c.channel, templateId: c.templateId, variantId: c.variantId, content: c.content };
      // The message's fields without their braces: the script puts the outcome and its instant before them.
      const message = parts ? JSON.stringify({ ...parts, ...(e.tier && { tier: e.tier }) }).slice(1, -1) : '';
      const ttl = Math.max(MEMORY_DAYS, e.customerCap.days, c?.campaignCap.days ?? 0) * DAY_MS;
      pipeline.campaignSettle(
        k.decision(e.campaignId, e.messageId), k.sends(e.customerId), k.campaignSends(e.customerId, e.campaignId), k.spent(e.campaignId), k.stats(e.campaignId), k.arms(e.customerId), k.facts(e.customerId),
        e.now.getTime(), e.plan.kind, e.plan.kind === 'SUPPRESSED' ? e.plan.reason : '', e.retry ? '1' : '0', ttl,
        e.customerCap.messages, e.customerCap.days * DAY_MS, c?.campaignCap.messages ?? 0, (c?.campaignCap.days ?? 0) * DAY_MS,
        c?.postponeUntil ? Date.parse(c.postponeUntil) : 0, e.budgetMinor ?? -1, c?.costMinor ?? 0, c?.control ? '1' : '0',
        e.messageId, message, e.campaignId, c?.channel ?? '', c ? `${c.templateId}/${c.variantId}` : '', e.aumMinor ?? 0, this.week(e.now), e.tier ?? '',
      );
    }
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, answer], i) => {
      if (error) throw error;
      const [fresh, value] = answer as [number, string];
      return fresh === 2 ? undefined : outcomeOf(value, entries[i].messageId, fresh === 1);
    });
  }
}

type StoredDecision = { at: number } & ({ o: 'SENT' | 'CONTROL' } & MessageParts | { o: 'POSTPONED'; until: number } | { o: 'SUPPRESSED'; reason: Extract<LedgerOutcome, { kind: 'SUPPRESSED' }>['reason'] });

function outcomeOf(value: string, messageId: string, fresh: boolean): LedgerOutcome {
  const d = JSON.parse(value) as StoredDecision;
  const base = { fresh, messageId, at: new Date(d.at).toISOString() };
  if (d.o === 'POSTPONED') return { ...base, kind: 'POSTPONED', until: new Date(d.until).toISOString() };
  if (d.o === 'SUPPRESSED') return { ...base, kind: 'SUPPRESSED', reason: d.reason };
  return { ...base, kind: d.o, channel: d.channel, templateId: d.templateId, variantId: d.variantId, content: d.content };
}

/** The counters the ledger's script keeps (`<prefix>cmp:stats:<campaignId>`). */
@Injectable()
export class RedisCampaignCounters implements CampaignCounters {
  private readonly keys: CampaignKeys;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: CampaignConfig,
  ) {
    this.keys = campaignKeys(config.redisPrefix);
  }

  async read(campaignId: string): Promise<Record<string, number>> {
    const raw = await this.redis.hgetall(this.keys.stats(campaignId));
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
  }

  async mark(campaignId: string, field: string): Promise<void> {
    await this.redis.hset(this.keys.stats(campaignId), field, 1);
  }
}
