import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { REDIS, RedisLease, nativeCollection } from '@meridian/shared';
import type Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { ServiceDeskConfig } from '../../config/service-desk.config';
import { Agent } from '../domain/agent';
import { AgentRoster } from '../application/ports/agent-roster.port';

interface RosterDoc {
  _id: 'roster';
  agents: Record<string, Omit<Agent, 'agentId'>>;
}

/**
 * The roster as one document (`agent_roster`, `_id: roster`): a desk has hundreds of agents, not
 * millions, and the assignment reads it whole. FerretDB v1 writes a document whole, so two PUTs
 * of different agents must not interleave: a Redis lease serialises them.
 */
@Injectable()
export class AgentRosterRepository implements AgentRoster {
  private readonly lease: RedisLease;

  constructor(
    @InjectConnection() private readonly connection: Connection,
    @Inject(REDIS) redis: Redis,
    config: ServiceDeskConfig,
  ) {
    this.lease = new RedisLease(redis, `${config.redisPrefix}sd:roster-lock`, 10_000);
  }

  private get rosters() {
    return nativeCollection<RosterDoc>(this.connection, 'agent_roster');
  }

  async all(): Promise<Agent[]> {
    const doc = await this.rosters.findOne({ _id: 'roster' });
    return Object.entries(doc?.agents ?? {})
      .map(([agentId, a]) => ({ agentId, ...a }))
      .sort((a, b) => (a.agentId < b.agentId ? -1 : 1));
  }

  async put({ agentId, ...agent }: Agent): Promise<void> {
    const token = await this.lease.acquireWaiting(5_000);
    if (!token) throw new ServiceUnavailableException({ message: 'the roster is being changed by another request: try again' });
    try {
      const doc = await this.rosters.findOne({ _id: 'roster' });
      await this.rosters.replaceOne({ _id: 'roster' }, { agents: { ...doc?.agents, [agentId]: agent } }, { upsert: true });
    } finally {
      await this.lease.release(token);
    }
  }

}
