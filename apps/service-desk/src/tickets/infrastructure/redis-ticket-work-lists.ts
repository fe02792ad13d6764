import { Inject, Injectable } from '@nestjs/common';
import { REDIS } from '@meridian/shared';
import type Redis from 'ioredis';
import { ServiceDeskConfig } from '../../config/service-desk.config';
import { TicketWorkLists, WorkListCursor, WorkListPage } from '../application/ports/ticket-work-lists.port';
import { Ticket } from '../domain/ticket';
import { WorkListFilter, WorkListPart, isOpenTicket, workListParts, workListPlace } from '../domain/work-list';

/**
 * Moves a ticket to its list: out of the one the index hash says it was in, into the new one
 * (score 0: the member's text orders the list), and moves its count from the agent who held it
 * open to the one who does now. KEYS: the index hash (`<list> <member>`), the new list, the
 * holders hash, the agents' loads. ARGV: ticket id, member, holder ('' when nobody holds it
 * open). Atomic, and the same call twice leaves everything as it is.
 */
const MOVE = `
local was = redis.call('HGET', KEYS[1], ARGV[1])
local now = KEYS[2] .. ' ' .. ARGV[2]
if was ~= now then
  if was then
    local cut = string.find(was, ' ', 1, true)
    redis.call('ZREM', string.sub(was, 1, cut - 1), string.sub(was, cut + 1))
  end
  redis.call('ZADD', KEYS[2], 0, ARGV[2])
  redis.call('HSET', KEYS[1], ARGV[1], now)
end
local held = redis.call('HGET', KEYS[3], ARGV[1]) or ''
if held ~= ARGV[3] then
  if held ~= '' then redis.call('HINCRBY', KEYS[4], held, -1) end
  if ARGV[3] ~= '' then
    redis.call('HINCRBY', KEYS[4], ARGV[3], 1)
    redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
  else
    redis.call('HDEL', KEYS[3], ARGV[1])
  end
end
return 1`;

/** Open tickets of one customer read at most for the context view: far beyond any real customer's. */
const MAX_OPEN_READ = 500;

/** The statuses in which a ticket counts against its agent's capacity. */
const HELD_OPEN = new Set(['ASSIGNED', 'IN_PROGRESS', 'PENDING_CUSTOMER']);

/**
 * Work lists as Redis sorted sets, one per queue, status, priority and breach flag
 * (`<prefix>sd:wl:<queue>:<status>:<priority>:<b|n>`), members `<openedAt ms>|<ticketId>` at
 * score 0 so a page resumes after a member exactly (ZRANGEBYLEX); where each ticket is, in
 * one hash (`<prefix>sd:wl-index`); who holds it open, in another (`<prefix>sd:wl-holder`),
 * beside each agent's count (`<prefix>sd:agent-load`); each customer's tickets
 * (`<prefix>sd:cust:<customerId>:tickets`) and those still open (`…:open`), same members. A page reads one range per list the filter names and merges
 * them: P1 first, oldest first — never the tickets collection.
 */
@Injectable()
export class RedisTicketWorkLists implements TicketWorkLists {
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: ServiceDeskConfig,
  ) {
    this.prefix = `${config.redisPrefix}sd:`;
  }

  private key(p: WorkListPart): string {
    return `${this.prefix}wl:${p.queue}:${p.status}:${p.priority}:${p.breached ? 'b' : 'n'}`;
  }

  private customerKey(customerId: string, which: 'tickets' | 'open'): string {
    return `${this.prefix}cust:${customerId}:${which}`;
  }

  async index(tickets: readonly Ticket[]): Promise<void> {
    await Promise.all(
      tickets.map((t) => {
        const place = workListPlace(t);
        const holder = t.assigneeId !== undefined && HELD_OPEN.has(t.status) ? t.assigneeId : '';
        return this.redis.eval(MOVE, 4, `${this.prefix}wl-index`, this.key(place), `${this.prefix}wl-holder`, `${this.prefix}agent-load`, t.ticketId, place.member, holder);
      }),
    );
    // The customer's tickets, and those of them still open: each the ticket's state after the write, so a second time changes nothing.
    if (!tickets.length) return;
    const pipeline = this.redis.pipeline();
    for (const t of tickets) {
      const member = workListPlace(t).member;
      pipeline.zadd(this.customerKey(t.customerId, 'tickets'), 0, member);
      if (isOpenTicket(t)) pipeline.zadd(this.customerKey(t.customerId, 'open'), 0, member);
      else pipeline.zrem(this.customerKey(t.customerId, 'open'), member);
    }
    const failed = ((await pipeline.exec()) ?? []).find(([error]) => error);
    if (failed) throw failed[0];
  }

  async ofCustomer(customerId: string, limit: number): Promise<{ open: string[]; done: string[] }> {
    const ids = (members: string[]) => members.map((m) => m.slice(m.indexOf('|') + 1));
    // Every open one (a customer has a few; a runaway is cut), so the newest of the rest are read past them.
    const open = ids(await this.redis.zrevrangebylex(this.customerKey(customerId, 'open'), '+', '-', 'LIMIT', 0, MAX_OPEN_READ));
    const stillOpen = new Set(open);
    const newest = ids(await this.redis.zrevrangebylex(this.customerKey(customerId, 'tickets'), '+', '-', 'LIMIT', 0, limit + open.length));
    return { open: open.slice(0, limit), done: newest.filter((id) => !stillOpen.has(id)).slice(0, limit) };
  }

  async allOfCustomer(customerId: string): Promise<string[]> {
    const members = await this.redis.zrangebylex(this.customerKey(customerId, 'tickets'), '-', '+');
    return members.map((m) => m.slice(m.indexOf('|') + 1));
  }

  async page(filter: WorkListFilter, limit: number, cursor?: WorkListCursor): Promise<WorkListPage> {
    const groups = workListParts(filter);
    const sizes = await Promise.all(groups.flatMap((g) => g.parts.map((p) => this.redis.zcard(this.key(p)))));
    const total = sizes.reduce((a, b) => a + b, 0);
    const members: string[] = [];
    let next: WorkListCursor | undefined;
    const start = cursor ? Math.max(0, groups.findIndex((g) => g.priority === cursor.priority)) : 0;
    for (let i = start; i < groups.length && members.length < limit; i++) {
      const from = i === start && cursor ? `(${cursor.after}` : '-';
      const need = limit - members.length;
      const ranges = await Promise.all(groups[i].parts.map((p) => this.redis.zrangebylex(this.key(p), from, '+', 'LIMIT', 0, need)));
      const merged = ranges.flat().sort().slice(0, need);
      members.push(...merged);
      if (members.length === limit && merged.length) next = { priority: groups[i].priority, after: merged[merged.length - 1] };
    }
    return { ticketIds: members.map((m) => m.slice(m.indexOf('|') + 1)), total, ...(next && { next }) };
  }

  async agentLoads(): Promise<Map<string, number>> {
    const raw = await this.redis.hgetall(`${this.prefix}agent-load`);
    return new Map(Object.entries(raw).map(([id, n]) => [id, Math.max(0, Number(n))]));
  }
}
