import { EnvelopeInit, ProfileFeatures, ProfileUpdated, Role, TOPICS } from '@meridian/events';
import { EventPublisher, ensureTopics, newEnvelope } from '@meridian/events/kafka';
import { ServiceProcess, TopicReader, freePort, serviceTestEnv, signTestToken, startService, testKafka, testServers, waitFor } from '@meridian/shared/testing';
import Redis from 'ioredis';
import { Kafka } from 'kafkajs';
import mongoose, { Connection } from 'mongoose';
import { countersOf } from '../segments/domain/segment-effects';

export const CNY = 100;
export const DAY = 86_400_000;
export const day = (start: string, n: number) => new Date(Date.parse(start) + n * DAY).toISOString();

/** A crm.segment.v1 event as read back. */
export type SegmentOut = { eventId: string; type: string; customerId: string; causationId?: string; payload: any };

/** An ACTIVE customer's features: GOLD, transacting, one account; tests set what they decide on. */
export function features(over: Partial<ProfileFeatures>): ProfileFeatures {
  return { aumMinor: 600_000 * CNY, productsHeld: ['DEPOSIT_CURRENT'], txnCount30d: 4, txnCount90d: 10, txnAmount30dMinor: 8_000 * CNY, txnAmount90dMinor: 20_000 * CNY, tags: [], firstProductAt: '2024-01-01T00:00:00Z', txnCountPrior60d: 6, ...over };
}

/** The ProfileUpdated profile would announce for this version of the customer; it occurred at the features' asOf unless told. */
export function update(customerId: string, version: number, f: ProfileFeatures, over: Partial<ProfileUpdated> = {}, occurredAt = f.asOf as string): { topic: string; envelope: EnvelopeInit } {
  const payload: ProfileUpdated = { customerId, version, changedFields: ['aumMinor'], features: f, ...over };
  return { topic: TOPICS.profile, envelope: newEnvelope('ProfileUpdated', payload, { eventId: `profile-${customerId}-${version}-${over.status ?? 'ACTIVE'}`, source: 'meridian-profile', customerId, occurredAt }) };
}

export interface HarnessOptions {
  /** Topics read back besides crm.segment.v1 (unprefixed, e.g. TOPICS.deadLetter). */
  alsoRead?: string[];
  /** The `sub` of the tokens http() signs. */
  sub?: string;
}

/**
 * Segmentation started from dist as its own process on the real servers, with what its
 * int-specs drive it by: ProfileUpdated in, crm.segment.v1 read back, its HTTP API with a
 * signed token, its MongoDB database and Redis keys to look into.
 */
export class SegmentationHarness {
  service!: ServiceProcess;
  publisher!: EventPublisher;
  out!: TopicReader;
  db!: Connection;
  redis!: Redis;
  /** For what the harness does not send itself (a raw record the publisher would refuse). */
  readonly kafka: Kafka = testKafka();

  private constructor(
    readonly env: Record<string, string>,
    private readonly options: HarnessOptions,
  ) {}

  static async start(overrides: Record<string, string> = {}, options: HarnessOptions = {}): Promise<SegmentationHarness> {
    const h = new SegmentationHarness(serviceTestEnv('segmentation', { PORT: String(await freePort()), ...overrides }), options);
    await ensureTopics(h.kafka, Object.values(TOPICS).map((t) => ({ topic: t })), { topicPrefix: h.env.KAFKA_TOPIC_PREFIX });
    await h.startService();
    h.publisher = new EventPublisher(h.kafka, { topicPrefix: h.env.KAFKA_TOPIC_PREFIX });
    h.out = await new TopicReader(h.kafka, [TOPICS.segment, ...(options.alsoRead ?? [])].map((t) => h.topic(t))).start();
    h.db = await mongoose.createConnection(testServers().mongoUri, { dbName: h.env.MONGODB_DATABASE }).asPromise();
    h.redis = new Redis(testServers().redisUrl);
    return h;
  }

  async startService(): Promise<void> {
    this.service = await startInstance(this.env, 'segmentation healthy');
  }

  /**
   * Another segmentation process on the same database and Redis, healthy; overrides set what
   * keeps it apart (its port by default, its topics and consumer group if told). The caller stops it.
   */
  async startAnother(overrides: Record<string, string>): Promise<ServiceProcess> {
    return startInstance({ ...this.env, PORT: String(await freePort()), ...overrides }, 'the other instance healthy');
  }

  /** Killed with no chance to finish anything. */
  async kill(): Promise<void> {
    this.service.process.kill('SIGKILL');
    await this.service.exited;
  }

  async stop(): Promise<void> {
    if (process.env.SEGMENTATION_TEST_DEBUG) console.log(this.service?.output());
    await this.service?.stop();
    await this.out?.stop();
    await this.publisher?.disconnect();
    if (this.db?.name.startsWith('test_')) await this.db.dropDatabase();
    await this.db?.close();
    this.redis?.disconnect();
  }

  topic(t: string): string {
    return this.env.KAFKA_TOPIC_PREFIX + t;
  }

  segmentEvents(customerId?: string): SegmentOut[] {
    return this.out.json<SegmentOut>(this.topic(TOPICS.segment)).filter((e) => !customerId || e.customerId === customerId);
  }

  /** The newest write of the customer whose outbox and effects are done (apps/segmentation …/redis-settled-writes.ts). */
  async settledRev(customerId: string): Promise<number> {
    return Number((await this.redis.hget(`${this.env.MONGODB_DATABASE}:seg:settled`, customerId)) ?? 0);
  }

  /** Waits until every one of the customers is evaluated at least at the version, and settled. */
  async evaluated(customerIds: string[], version: number, withinMs = 120_000): Promise<void> {
    await waitFor(async () => {
      const docs = await this.db.collection('segment_states').find({ _id: { $in: customerIds as never[] } }).toArray();
      if (docs.length < customerIds.length || docs.some((d) => d.profileVersion < version)) return false;
      const settled = await this.redis.hmget(`${this.env.MONGODB_DATABASE}:seg:settled`, ...customerIds);
      return docs.every((d) => Number(settled[customerIds.indexOf(String(d._id))] ?? 0) >= d.rev);
    }, withinMs, `${customerIds.length} customers evaluated at version ${version}`);
  }

  /** The customer's stored segment state (null if none). */
  async state(customerId: string): Promise<any> {
    return this.db.collection('segment_states').findOne({ _id: customerId as never });
  }

  /** A call with a signed token (sub from the options, branch HQ); a string body is sent as it is, any other as JSON. */
  async http(method: string, path: string, roles: Role[], body?: unknown): Promise<{ status: number; type: string; text: string; body: any }> {
    const token = await signTestToken(this.env.JWT_SECRET, { roles, sub: this.options.sub ?? 'ops-1', branchId: 'HQ' });
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) };
    const res = await fetch(this.service.url + path, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', text, body: (text ? JSON.parse(text) : undefined) as any };
  }

  /** Until the sweep's record says it finished, read back all it published; answers the record. */
  async sweepFinished(sweepId: string, withinMs = 60_000): Promise<any> {
    const done = await waitFor(async () => {
      const r = await this.http('GET', `/v1/sweeps/${encodeURIComponent(sweepId)}`, ['ADMIN']);
      return r.body.finishedAt ? r.body : undefined;
    }, withinMs, `sweep ${sweepId} finished`);
    await this.out.readToEnd();
    return done;
  }

  /** POST /v1/sweeps, then waits until that sweep has finished; answers its record. */
  async sweep(asOf: string, withinMs = 60_000): Promise<any> {
    const started = await this.http('POST', '/v1/sweeps', ['ADMIN'], { asOf });
    if (started.status !== 202) throw new Error(`POST /v1/sweeps answered ${started.status}: ${JSON.stringify(started.body)}`);
    return this.sweepFinished(started.body._id, withinMs);
  }

  /** Reconciliation: the counters kept as changes happened, and a recount of the stored ACTIVE states (both without zeros). */
  async countersAndRecount(): Promise<{ kept: Record<string, number>; recount: Record<string, number> }> {
    const recount: Record<string, number> = {};
    for (const doc of await this.db.collection('segment_states').find({ status: 'ACTIVE' }).toArray()) {
      for (const [k, v] of Object.entries(countersOf({ ...doc, ...JSON.parse(doc.body) } as never))) recount[k] = (recount[k] ?? 0) + v;
    }
    const nonZero = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== 0));
    const kept = Object.fromEntries(Object.entries(await this.redis.hgetall(`${this.env.MONGODB_DATABASE}:seg:counters`)).map(([k, v]) => [k, Number(v)]));
    return { kept: nonZero(kept), recount: nonZero(recount) };
  }
}

async function startInstance(env: Record<string, string>, healthy: string): Promise<ServiceProcess> {
  const service = await startService('segmentation', env);
  await waitFor(async () => (await fetch(`${service.url}/health`)).status === 200, 60_000, healthy);
  return service;
}
