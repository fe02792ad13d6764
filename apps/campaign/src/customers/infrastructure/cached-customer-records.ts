import { Injectable, Logger } from '@nestjs/common';
import { CustomerRecords, ProfileFact } from '../application/ports/customer-records.port';
import type { CustomerRecord, DatedChange } from '../domain/customer-facts';
import { CustomerFactsCopy } from './customer-facts-copy';
import { CustomerRecordRepository } from './customer-record.repository';
import { RedisCustomerFacts } from './redis-customer-facts';

/**
 * What campaign keeps of its customers (ADR 0015): written to both MongoDB (the lasting copy) and
 * Redis (what decisions read), each under its own guards, so a batch that fails between the two is
 * applied again to both and they agree. Read from Redis once its facts are complete; until then
 * (a new or emptied Redis) from MongoDB, while the copy is asked for.
 */
@Injectable()
export class CachedCustomerRecords extends CustomerRecords {
  private readonly logger = new Logger('CachedCustomerRecords');

  constructor(
    private readonly mongo: CustomerRecordRepository,
    private readonly facts: RedisCustomerFacts,
    private readonly copy: CustomerFactsCopy,
  ) {
    super();
  }

  async get(customerIds: readonly string[]): Promise<Map<string, CustomerRecord>> {
    const { complete, records } = await this.facts.get(customerIds);
    if (complete) return records;
    void this.copy.ask().catch((error: Error) => this.logger.warn(`facts copy not asked for: ${error.message}`));
    return this.mongo.get(customerIds);
  }

  /**
   * An erasure is kept in both copies before MongoDB deletes segmentation's news of the customer:
   * a write of that news racing it finds the erasure in Redis when it checks (forgetErased). Were
   * Redis to refuse, MongoDB still keeps the erasure, and the copy that follows forgets.
   */
  async recordProfiles(facts: readonly ProfileFact[]): Promise<void> {
    await Promise.all([this.mongo.recordProfiles(facts), this.inRedis(facts, [])]);
    if (facts.some((f) => f.status === 'ERASED')) await this.mongo.forgetErasedSegments(facts);
  }

  async recordChanges(changes: readonly DatedChange[]): Promise<void> {
    await Promise.all([this.mongo.recordChanges(changes), this.inRedis([], changes)]);
    await this.forgetErased(changes);
  }

  /**
   * The triggers among the changes are decided on Redis's copy while MongoDB's is written
   * (FerretDB's writes were most of a trigger's latency) — once Redis's is complete; until then
   * decisions read MongoDB, so they wait for its write.
   */
  override async recordChangesThen<T>(changes: readonly DatedChange[], then: () => Promise<T>): Promise<T> {
    if (!(await this.facts.isComplete())) return super.recordChangesThen(changes, then);
    const [, answer] = await Promise.all([this.mongo.recordChanges(changes), this.inRedis([], changes).then(then)]);
    await this.forgetErased(changes);
    return answer;
  }

  /**
   * Segmentation's news just written to MongoDB for customers erased meanwhile, deleted again
   * (PIPL: nothing is kept of them). Either the erasure was in Redis by this check, or MongoDB's
   * delete that follows it came after this write had landed: none survives.
   */
  private async forgetErased(changes: readonly DatedChange[]): Promise<void> {
    const erased = await this.facts.erasedAmong(changes.map((c) => c.customerId));
    await this.mongo.forgetSegments(erased);
  }

  /**
   * A write Redis refused (out of memory, say) may be dead-lettered after MongoDB took it: the
   * facts are marked incomplete first, so decisions read MongoDB until a copy has run again.
   */
  private async inRedis(profiles: readonly ProfileFact[], changes: readonly DatedChange[]): Promise<void> {
    try {
      await this.facts.record(profiles, changes);
    } catch (error) {
      await this.facts.markIncomplete().catch((e: Error) => this.logger.warn(`facts not marked incomplete: ${e.message}`));
      throw error;
    }
  }

  eachCustomer(step: number, visit: (customers: Array<{ customerId: string; version: number; status: CustomerRecord['status'] }>) => Promise<void>): Promise<number> {
    return this.mongo.eachCustomer(step, visit);
  }
}
