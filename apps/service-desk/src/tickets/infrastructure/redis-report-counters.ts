import { Inject, Injectable } from '@nestjs/common';
import { REDIS } from '@meridian/shared';
import type Redis from 'ioredis';
import { ServiceDeskConfig } from '../../config/service-desk.config';
import { ReportCounters, TicketCounts } from '../application/ports/report-counters.port';

/**
 * Counts one ticket's write once: only if its rev is above the rev counted for the ticket.
 * KEYS[1]: the counted revs (hash), KEYS[2]: the scopes (set). ARGV: ticket id, rev, the key
 * prefix, then scope, field, by triples.
 */
const COUNT = `
if tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0') >= tonumber(ARGV[2]) then return 0 end
for i = 4, #ARGV, 3 do
  redis.call('HINCRBY', ARGV[3] .. ARGV[i], ARGV[i + 1], ARGV[i + 2])
  redis.call('SADD', KEYS[2], ARGV[i])
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1`;

/** Report counters as Redis hashes (`<prefix>sd:report:<scope>`), their scopes in a set, the counted revs in a hash. */
@Injectable()
export class RedisReportCounters implements ReportCounters {
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: ServiceDeskConfig,
  ) {
    this.prefix = `${config.redisPrefix}sd:report:`;
  }

  async count(changes: readonly TicketCounts[]): Promise<void> {
    await Promise.all(
      changes.map((c) => this.redis.eval(COUNT, 2, `${this.prefix}~counted`, `${this.prefix}~scopes`, c.ticketId, String(c.rev), this.prefix, ...c.deltas.flatMap((d) => [d.scope, d.field, String(Math.round(d.by))]))),
    );
  }

  async read(prefix: string): Promise<Map<string, Record<string, number>>> {
    const scopes = (await this.redis.smembers(`${this.prefix}~scopes`)).filter((s) => s.startsWith(prefix)).sort();
    const values = await Promise.all(scopes.map((s) => this.redis.hgetall(`${this.prefix}${s}`)));
    return new Map(scopes.map((s, i) => [s, Object.fromEntries(Object.entries(values[i]).map(([k, v]) => [k, Number(v)]))]));
  }
}
