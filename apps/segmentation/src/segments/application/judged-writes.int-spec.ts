import { ProfileFeatures, TOPICS } from '@meridian/events';
import { EventPublisher, ensureTopics } from '@meridian/events/kafka';
import { KeyedMutex, loadConfig } from '@meridian/shared';
import { TopicReader, dropTestMongo, serviceTestEnv, testKafka, testMongo, testServers, uniqueName } from '@meridian/shared/testing';
import Redis from 'ioredis';
import { Connection } from 'mongoose';
import { SegmentationConfig } from '../../config/segmentation.config';
import { DEFAULT_CHURN_MODEL } from '../domain/churn-risk';
import { evaluateCustomer } from '../domain/evaluate-customer';
import { DEFAULT_SEGMENTATION_RULES as RULES } from '../domain/segmentation-rules';
import { LiveDerivedKeys } from '../infrastructure/derived-keys';
import { RedisDueIndex } from '../infrastructure/redis-due-index';
import { sweepCustomer } from '../../sweeps/application/sweep-customer';
import { SegmentEffects } from '../domain/segment-effects';
import { sweepPartition } from '../domain/sweep-partition';
import { RedisSegmentAnalytics } from '../infrastructure/redis-segment-analytics';
import { RedisSettledWrites } from '../infrastructure/redis-settled-writes';
import { SegmentStateRepository } from '../infrastructure/segment-state.repository';
import { JudgedWrites } from './judged-writes';
import { DerivedDataGate } from './ports/derived-data.port';
import { RuleBook, RuleBookEdition } from './ports/rule-book.port';
import { announce } from './segment-announcements';
import { Decided, StateWrites } from './state-writes';

const CNY = 100;
const numbers = { rules: RULES, churnModel: DEFAULT_CHURN_MODEL, rfmBreakpoints: RULES };
const editionWhere = (tier: string): RuleBookEdition => ({ membership: { tags: [], segments: [{ id: 'seg-x', matches: (f) => f.tier === tier }] }, numbers });

/** A rule book that moves once another instance writes a segment: `moveAfter` look-ups answer the first edition, then the second. */
class MovingRuleBook extends RuleBook {
  looks = 0;
  constructor(
    private readonly before: RuleBookEdition,
    private readonly after: RuleBookEdition,
    private readonly moveAfter: number,
  ) {
    super();
  }
  async current() {
    return this.looks++ < this.moveAfter ? this.before : this.after;
  }
}

/** The derived data stands built (the marker is set in beforeAll); nothing here loses it. */
class Built extends DerivedDataGate {
  async whenBuilt() {
    return 'built';
  }
  lost() {
    throw new Error('the derived data was not expected to be lost here');
  }
}

const features: ProfileFeatures = { aumMinor: 10_000 * CNY, productsHeld: ['DEPOSIT_CURRENT'], txnCount30d: 4, txnCount90d: 10, txnAmount30dMinor: 4_000 * CNY, txnAmount90dMinor: 10_000 * CNY, tags: [], firstProductAt: '2024-01-01T00:00:00Z', lastTransactionAt: '2026-11-28T00:00:00Z', lastActivityAt: '2026-11-28T00:00:00Z', txnCountPrior60d: 6, asOf: '2026-11-30T00:00:00Z' };

/** A first evaluation, as a ProfileUpdated would make it. */
function firstEvaluation(customerId: string, edition: RuleBookEdition): Decided {
  const { state, changes } = evaluateCustomer(undefined, features, features.asOf as string, 1, edition.membership, edition.numbers);
  const fresh = announce(changes, { customerId, cause: 'p1', occurredAt: state.asOf });
  return { next: { _id: customerId, rev: 1, status: 'ACTIVE', ...state, outbox: fresh }, fresh };
}

/**
 * The race a rule book edit opens (issue 10): a run decided on the rules before, written
 * after the back-fill passed its customers, would leave them on the old rules. On the real
 * MongoDB-wire server, Redis and Kafka: after settling, a run whose rule book moved judges
 * its customers again on the new one.
 */
describe('JudgedWrites (real MongoDB-wire server, Redis and Kafka)', () => {
  let mongo: Connection;
  let redis: Redis;
  let config: SegmentationConfig;
  let publisher: EventPublisher;
  let out: TopicReader;
  let prefix: string;

  const judged = (ruleBook: RuleBook, analytics = new RedisSegmentAnalytics(redis, config)) => {
    const writes = new StateWrites(new SegmentStateRepository(mongo, redis, config), new RedisDueIndex(redis, config), analytics, new RedisSettledWrites(redis, config), publisher, new KeyedMutex(), new Built());
    return new JudgedWrites(writes, ruleBook);
  };
  /** The counters' adapter of a process that dies the first time it is to apply effects (after the write, before anything of the settle but the publish). */
  class DiesOnce extends RedisSegmentAnalytics {
    died = false;
    override async apply(effects: readonly SegmentEffects[]): Promise<void> {
      if (!this.died) {
        this.died = true;
        throw new Error('the process died');
      }
      return super.apply(effects);
    }
  }
  const dueAt = async (customerId: string) => Number(await redis.zscore(`${config.redisPrefix}seg:due:${sweepPartition(customerId, config.SEGMENT_SWEEP_PARTITIONS)}`, customerId));
  const counter = async (field: string) => Number((await redis.hget(`${config.redisPrefix}seg:counters`, field)) ?? 0);
  const events = (customerId: string) => out.json<{ eventId: string; type: string; customerId: string; payload: any }>(prefix + TOPICS.segment).filter((e) => e.customerId === customerId);
  const size = async (segmentId: string) => Number((await redis.hget(`${config.redisPrefix}seg:counters`, `size|${segmentId}`)) ?? 0);

  beforeAll(async () => {
    mongo = await testMongo('judged_writes');
    redis = new Redis(testServers().redisUrl);
    const env = serviceTestEnv('segmentation');
    prefix = env.KAFKA_TOPIC_PREFIX;
    config = loadConfig(SegmentationConfig, { ...env, MONGODB_DATABASE: mongo.name });
    const kafka = testKafka();
    await ensureTopics(kafka, [{ topic: TOPICS.segment }], { topicPrefix: prefix });
    publisher = new EventPublisher(kafka, { topicPrefix: prefix });
    out = await new TopicReader(kafka, [prefix + TOPICS.segment]).start();
    await redis.set(new LiveDerivedKeys(config.redisPrefix).marker, 'built by the test');
  }, 60_000);

  afterAll(async () => {
    await out?.stop();
    await publisher?.disconnect();
    redis?.disconnect();
    await dropTestMongo(mongo);
  });

  it('judges a run’s customers again when the rule book moved while it was decided; the new rules stand, announced once', async () => {
    const [a, b] = [uniqueName('J'), uniqueName('J')];
    // Decided while seg-x was "GOLD customers"; by the time it settled, seg-x had become "MASS customers".
    const result = await judged(new MovingRuleBook(editionWhere('GOLD'), editionWhere('MASS'), 1)).run([a, b], (doc, edition, customerId) => firstEvaluation(customerId, edition));
    expect(result.written.map((w) => w.doc?.memberships)).toEqual([[], []]);
    await out.readToEnd();
    const stored = await mongo.collection('segment_states').find({ _id: { $in: [a, b] as never[] } }).toArray();
    expect(stored.map((d) => [d.rev, d.memberships])).toEqual([
      [2, ['seg-x']],
      [2, ['seg-x']],
    ]);
    for (const id of [a, b]) {
      const entered = events(id).filter((e) => e.type === 'SegmentMembershipChanged');
      expect(entered.map((e) => e.payload)).toEqual([{ customerId: id, segmentId: 'seg-x', change: 'ENTERED' }]);
      expect(entered[0].eventId).toContain('r2');
    }
    // The counters followed both writes: the segment holds both customers.
    expect(await size('seg-x')).toBe(2);
    expect(await redis.zcard(`${config.redisPrefix}seg:members:seg-x`)).toBe(2);
  }, 60_000);

  it('a sweep’s write whose settle died before its effects leaves the customer due, so the resumed sweep applies them', async () => {
    const c = uniqueName('J');
    const book = new MovingRuleBook(editionWhere('MASS'), editionWhere('MASS'), Number.MAX_SAFE_INTEGER);
    await judged(book).run([c], (doc, edition, customerId) => firstEvaluation(customerId, edition));
    const due = await dueAt(c);
    expect(due).toBeGreaterThan(Date.parse(features.asOf as string));
    const branch = (await mongo.collection('segment_states').findOne({ _id: c as never }))?.facts.branchId ?? '-';
    const active = await counter(`n|stage|ACTIVE|${branch}`);
    // Time alone moves the customer (idle past 90 days, due long before): the sweep's write stands, its settle dies.
    const sweepAt = '2027-03-01T00:00:00.000Z';
    expect(due).toBeLessThanOrEqual(Date.parse(sweepAt));
    const dies = new DiesOnce(redis, config);
    await expect(judged(book, dies).run([c], (doc, edition) => sweepCustomer(doc, sweepAt, edition))).rejects.toThrow('the process died');
    expect((await mongo.collection('segment_states').findOne({ _id: c as never }))?.facts.lifecycleStage).toBe('AT_RISK');
    // Still due by the sweep's instant: a resumed sweep reads it again.
    expect(await dueAt(c)).toBe(due);
    expect(await counter(`n|stage|ACTIVE|${branch}`)).toBe(active);
    await judged(book, dies).run([c], (doc, edition) => sweepCustomer(doc, sweepAt, edition));
    expect(await counter(`n|stage|ACTIVE|${branch}`)).toBe(active - 1);
    expect(await dueAt(c)).toBeGreaterThan(Date.parse(sweepAt));
  }, 60_000);

  it('writes once when the rule book stood still', async () => {
    const c = uniqueName('J');
    const still = new MovingRuleBook(editionWhere('MASS'), editionWhere('GOLD'), Number.MAX_SAFE_INTEGER);
    await judged(still).run([c], (doc, edition, customerId) => firstEvaluation(customerId, edition));
    const stored = await mongo.collection('segment_states').findOne({ _id: c as never });
    expect([stored?.rev, stored?.memberships]).toEqual([1, ['seg-x']]);
    expect(still.looks).toBe(2);
  }, 60_000);
});
