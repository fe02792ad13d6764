import { Inject, Injectable } from '@nestjs/common';
import { REDIS } from '@meridian/shared';
import type Redis from 'ioredis';
import { CampaignConfig } from '../../config/campaign.config';
import { CaseChange, ServiceCases } from '../application/ports/service-cases.port';

/**
 * One ticket's case, newest news first: a field per ticket, `open|<ms>` or `closed|<ms>`. A
 * TicketOpened creates it; a status change moves only a case already known (a ticket of another
 * category is no case). An older change arriving after a newer one changes nothing.
 * KEYS: the customer's cases hash. ARGV: ticketId, open (1|0), opens (1|0), ms.
 */
const RECORD = `
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if not cur then
  if ARGV[3] == '1' then redis.call('HSET', KEYS[1], ARGV[1], (ARGV[2] == '1' and 'open|' or 'closed|') .. ARGV[4]) end
  return 1
end
local at = tonumber(string.match(cur, '|(%d+)$'))
if tonumber(ARGV[4]) >= at then redis.call('HSET', KEYS[1], ARGV[1], (ARGV[2] == '1' and 'open|' or 'closed|') .. ARGV[4]) end
return 1`;

/** The customers' service cases as Redis hashes (`<prefix>cmp:cases:<customerId>`): what every decision reads. */
@Injectable()
export class RedisServiceCases implements ServiceCases {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: CampaignConfig,
  ) {}

  private key(customerId: string): string {
    return `${this.config.redisPrefix}cmp:cases:${customerId}`;
  }

  async record(changes: readonly CaseChange[]): Promise<void> {
    if (!changes.length) return;
    const pipeline = this.redis.pipeline();
    for (const c of changes) pipeline.eval(RECORD, 1, this.key(c.customerId), c.ticketId, c.open ? '1' : '0', c.opens ? '1' : '0', String(Date.parse(c.at)));
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error);
    if (failed) throw failed[0];
  }

  async withOpenCase(customerIds: readonly string[]): Promise<Set<string>> {
    const ids = [...new Set(customerIds)];
    if (!ids.length) return new Set();
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hvals(this.key(id));
    const results = (await pipeline.exec()) ?? [];
    const open = new Set<string>();
    results.forEach(([error, values], i) => {
      if (error) throw error;
      if ((values as string[]).some((v) => v.startsWith('open|'))) open.add(ids[i]);
    });
    return open;
  }
}
