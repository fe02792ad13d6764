import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { REDIS, RedisLease, nativeCollection } from '@meridian/shared';
import type Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { ServiceDeskConfig } from '../../config/service-desk.config';
import { Agent } from '../domain/agent';
import { AgentRoster } from '../application/ports/agent-roster.port';

/** Agents as a list, not keyed by id: an id may hold '.', which a document's field names may not. */
interface RosterDoc {
  _id: 'roster';
  agents: Agent[];
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
    return [...(Array.isArray(doc?.agents) ? doc.agents : [])].sort((a, b) => (a.agentId < b.agentId ? -1 : 1));
  }

  async put(agent: Agent): Promise<void> {
    const token = await this.lease.acquireWaiting(5_000);
    if (!token) throw new ServiceUnavailableException({ message: 'the roster is being changed by another request: try again' });
    try {
      const others = (await this.all()).filter((a) => a.agentId !== agent.agentId);
      // Renewed before the write: a holder whose lease lapsed (a stall) must not write over its successor.
      if (!(await this.lease.renew(token))) throw new ServiceUnavailableException({ message: 'the roster lock lapsed: try again' });
      await this.rosters.replaceOne({ _id: 'roster' }, { agents: [...others, { agentId: agent.agentId, queues: agent.queues, capacity: agent.capacity, available: agent.available }] }, { upsert: true });
    } finally {
      await this.lease.release(token);
    }
  }

}
