import { Inject, Injectable } from '@nestjs/common';
import { REDIS, answersOf } from '@meridian/shared';
import type Redis from 'ioredis';
import { ServiceDeskConfig } from '../../config/service-desk.config';
import { CustomerInteractions, InteractionSeen } from '../application/ports/customer-interactions.port';
import { erasedSetKey } from './redis-customer-erasures';

/**
 * Adds one interaction unless its customer was erased, and keeps the newest ARGV[3]. KEYS: the
 * customer's sorted set, the erased set. ARGV: customer id, member, how many to keep. The member
 * is the interaction itself (its instant first), so a redelivery adds nothing.
 */
const RECORD = `
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return 0 end
redis.call('ZADD', KEYS[1], 0, ARGV[2])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -tonumber(ARGV[3]) - 1)
return 1`;

/** The fields in a fixed order: the same interaction is the same member, whatever order its event listed them in. */
function member(i: InteractionSeen): string {
  const at = String(new Date(i.occurredAt).getTime()).padStart(15, '0');
  const body: InteractionSeen = { interactionId: i.interactionId, kind: i.kind, channel: i.channel, occurredAt: i.occurredAt, ...(i.topic !== undefined && { topic: i.topic }), ...(i.ticketId !== undefined && { ticketId: i.ticketId }), ...(i.campaignId !== undefined && { campaignId: i.campaignId }) };
  return `${at}|${JSON.stringify(body)}`;
}

/**
 * Customers' newest interactions as Redis sorted sets (`<prefix>sd:cust:<customerId>:ix`, score 0,
 * members `<15-digit epoch ms>|<interaction as JSON>`: the text orders them by time), and the
 * customers erased (`<prefix>sd:erased`, RedisCustomerErasures), whose interactions are never kept again.
 */
@Injectable()
export class RedisCustomerInteractions implements CustomerInteractions {
  private readonly prefix: string;
  private readonly erasedKey: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: ServiceDeskConfig,
  ) {
    this.prefix = `${config.redisPrefix}sd:`;
    this.erasedKey = erasedSetKey(config.redisPrefix);
  }

  private key(customerId: string): string {
    return `${this.prefix}cust:${customerId}:ix`;
  }

  async record(seen: readonly { customerId: string; interaction: InteractionSeen }[], keep: number): Promise<void> {
    await Promise.all(seen.map(({ customerId, interaction }) => this.redis.eval(RECORD, 2, this.key(customerId), this.erasedKey, customerId, member(interaction), keep)));
  }

  async recent(customerId: string, limit: number): Promise<InteractionSeen[]> {
    const members = await this.redis.zrevrangebylex(this.key(customerId), '+', '-', 'LIMIT', 0, limit);
    return members.map((m) => JSON.parse(m.slice(m.indexOf('|') + 1)) as InteractionSeen);
  }

  async forget(customerIds: readonly string[]): Promise<void> {
    if (!customerIds.length) return;
    answersOf(await this.redis.multi().del(...customerIds.map((id) => this.key(id))).exec());
  }
}
