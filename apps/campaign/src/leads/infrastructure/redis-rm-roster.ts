import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { REDIS, answersOf } from '@meridian/shared';
import type Redis from 'ioredis';
import { CampaignConfig } from '../../config/campaign.config';
import { CampaignKeys, campaignKeys } from '../../redis-keys';
import type { AssignedHow, AssignmentWanted } from '../domain/lead';
import { RmDirectory, RmRoster, RosterRm } from '../application/ports/rm-roster.port';
import { ASSIGN_SCRIPT, RELEASE_SCRIPT } from './rm-assignment.script';

type RosterEntry = Omit<RosterRm, 'rmId'>;

/** Between tries to fill an empty roster from MongoDB while a store is down. */
const FILL_RETRY_MS = 5_000;

/** The RM roster and their open leads in Redis (ASSIGN_SCRIPT: chosen and counted in one step); filled from MongoDB's copy at start when Redis has none. */
@Injectable()
export class RedisRmRoster implements RmRoster, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RmRoster');
  private readonly keys: CampaignKeys;
  private retry?: NodeJS.Timeout;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly directory: RmDirectory,
    config: CampaignConfig,
  ) {
    this.keys = campaignKeys(config.redisPrefix);
  }

  /** In the background, tried again while Redis or MongoDB is down: the service comes up (and reports them on /health) whatever they do. */
  onApplicationBootstrap(): void {
    const attempt = () =>
      this.fill().catch((error: Error) => {
        this.logger.warn(`the RM roster is not filled from MongoDB yet (tried again in ${FILL_RETRY_MS / 1000} s): ${error.message}`);
        this.retry = setTimeout(() => void attempt(), FILL_RETRY_MS);
        this.retry.unref();
      });
    void attempt();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.retry);
  }

  private async fill(): Promise<void> {
    if ((await this.redis.hlen(this.keys.rmRoster())) > 0) return;
    const rms = await this.directory.all();
    for (const rm of rms) await this.put(rm);
    if (rms.length) this.logger.log(`the RM roster filled from MongoDB: ${rms.length} RMs`);
  }

  async assign(customerId: string, branchId: string, wanted: AssignmentWanted, defaultCapacity: number): Promise<{ rmId: string; how: AssignedHow } | undefined> {
    const k = this.keys;
    const own = wanted.how === 'OWN_RM' ? wanted.rmId : '';
    const excluding = wanted.how === 'LEAST_LOADED' ? (wanted.excluding ?? '') : '';
    const answer = (await this.redis.eval(ASSIGN_SCRIPT, 4, k.rmRoster(), k.rmLoads(), k.rmOwner(), k.rmBranch(branchId), customerId, wanted.how, own, excluding, String(defaultCapacity), k.rmLeadsPrefix())) as [string, AssignedHow] | null;
    return answer ? { rmId: answer[0], how: answer[1] } : undefined;
  }

  async release(customerId: string): Promise<void> {
    await this.redis.eval(RELEASE_SCRIPT, 2, this.keys.rmLoads(), this.keys.rmOwner(), customerId, this.keys.rmLeadsPrefix());
  }

  async put(rm: RosterRm): Promise<void> {
    const before = await this.get(rm.rmId);
    const entry: RosterEntry = { branchId: rm.branchId, status: rm.status, ...(rm.capacity !== undefined && { capacity: rm.capacity }), ...(rm.managerId !== undefined && { managerId: rm.managerId }) };
    const batch = this.redis.multi().hset(this.keys.rmRoster(), rm.rmId, JSON.stringify(entry)).sadd(this.keys.rmBranch(rm.branchId), rm.rmId);
    if (before && before.branchId !== rm.branchId) batch.srem(this.keys.rmBranch(before.branchId), rm.rmId);
    answersOf(await batch.exec());
  }

  async get(rmId: string): Promise<RosterRm | undefined> {
    const entry = await this.redis.hget(this.keys.rmRoster(), rmId);
    return entry ? { rmId, ...(JSON.parse(entry) as RosterEntry) } : undefined;
  }

  async list(branchId?: string): Promise<Array<RosterRm & { openLeads: number }>> {
    const [entries, loads] = await Promise.all([this.redis.hgetall(this.keys.rmRoster()), this.redis.hgetall(this.keys.rmLoads())]);
    return Object.entries(entries)
      .map(([rmId, entry]) => ({ rmId, ...(JSON.parse(entry) as RosterEntry), openLeads: Number(loads[rmId] ?? 0) }))
      .filter((rm) => !branchId || rm.branchId === branchId)
      .sort((a, b) => a.branchId.localeCompare(b.branchId) || a.rmId.localeCompare(b.rmId));
  }

  leadsOf(rmId: string): Promise<string[]> {
    return this.redis.smembers(`${this.keys.rmLeadsPrefix()}${rmId}`);
  }
}
