import { CampaignMessageRequested, CampaignMessageSuppressed, EnvelopeInit, ProfileFeatures, Role, TOPICS } from '@meridian/events';
import { EventPublisher, ensureTopics, newEnvelope } from '@meridian/events/kafka';
import { ServiceProcess, TopicReader, freePort, serviceTestEnv, signTestToken, startService, testKafka, testServers, uniqueName, waitFor } from '@meridian/shared/testing';
import Redis from 'ioredis';
import { Kafka } from 'kafkajs';
import mongoose, { Connection } from 'mongoose';
import type { CampaignDefinition } from '../campaigns/domain/campaign-definition';

export type Decision = EnvelopeInit<CampaignMessageRequested & CampaignMessageSuppressed>;

/** A definition on a segment of its own: a retention offer on app push, then SMS. */
export const campaignDefinition = (segmentId: string, over: Partial<CampaignDefinition> = {}): CampaignDefinition => ({
  name: 'retention',
  objective: 'RETENTION',
  trigger: { kind: 'SEGMENT_ENTERED', segmentId },
  channels: ['app_push', 'sms'],
  templates: [
    { templateId: 'push', channel: 'app_push', locale: 'zh-CN', body: '{{greeting}}，{{productName}} 专属礼遇', variants: [{ variantId: 'young', when: { ageBand: '18-25' }, body: '{{greeting}}～看看{{productName}}' }] },
    { templateId: 'sms', channel: 'sms', locale: 'zh-CN', body: '{{greeting}}，客户经理{{rmName}}为您准备了{{productName}}' },
  ],
  offer: { productType: 'WEALTH', riskLevel: 'R2' },
  startAt: '2026-01-01T00:00:00+08:00',
  unitCostMinor: { app_push: 1, sms: 5 },
  controlShare: 0,
  goal: { kind: 'PRODUCT_OPENED', productType: 'WEALTH' },
  targetConversionRate: 0.05,
  ...over,
});

/** A decision as a test names it: `SENT:<channel>` or the suppression's reason. */
export const what = (d: Decision) => (d.type === 'CampaignMessageRequested' ? `SENT:${d.payload.channel}` : d.payload.reason);

/**
 * campaign as a real process on real Kafka, the MongoDB-wire server and Redis, with what its
 * integration tests do to it: call its routes, define and activate campaigns, make customers it
 * keeps, set triggers off, and read what it published on crm.campaign.v1.
 */
export class CampaignHarness {
  env!: Record<string, string>;
  kafka!: Kafka;
  service!: ServiceProcess;
  publisher!: EventPublisher;
  out!: TopicReader;
  db!: Connection;
  redis!: Redis;

  topic = (t: string) => `${this.env.KAFKA_TOPIC_PREFIX}${t}`;

  async start(overrides: Record<string, string>): Promise<this> {
    this.env = serviceTestEnv('campaign', { PORT: String(await freePort()), CAMPAIGN_CATALOGUE_REFRESH_SECONDS: '1', ...overrides });
    this.kafka = testKafka();
    await ensureTopics(this.kafka, Object.values(TOPICS).map((t) => ({ topic: t })), { topicPrefix: this.env.KAFKA_TOPIC_PREFIX });
    this.service = await startService('campaign', this.env);
    this.publisher = new EventPublisher(this.kafka, { topicPrefix: this.env.KAFKA_TOPIC_PREFIX });
    this.out = await new TopicReader(this.kafka, [this.topic(TOPICS.campaign)]).start();
    this.db = await mongoose.createConnection(testServers().mongoUri, { dbName: this.env.MONGODB_DATABASE }).asPromise();
    this.redis = new Redis(testServers().redisUrl);
    await waitFor(async () => (await fetch(`${this.service.url}/health`)).status === 200, 60_000, 'campaign healthy');
    return this;
  }

  async stop(): Promise<void> {
    if (process.env.CAMPAIGN_TEST_DEBUG) console.log(this.service?.output());
    await this.service?.stop();
    await this.out?.stop();
    await this.publisher?.disconnect();
    this.redis?.disconnect();
    if (this.db?.name.startsWith('test_')) await this.db.dropDatabase();
    await this.db?.close();
  }

  async call(method: string, path: string, body?: unknown, roles: Role[] = ['MARKETING']) {
    const token = await signTestToken(this.env.JWT_SECRET, { roles, sub: 'marketer-1' });
    const res = await fetch(`${this.service.url}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, ...(body !== undefined && { body: JSON.stringify(body) }) });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  }

  /** A campaign defined and activated, on a segment of its own. */
  async campaign(over: Partial<CampaignDefinition> = {}): Promise<{ campaignId: string; segmentId: string }> {
    const segmentId = uniqueName('seg');
    const created = await this.call('POST', '/v1/campaigns', campaignDefinition(segmentId, over));
    if (created.status !== 201) throw new Error(`campaign not created: ${created.status} ${JSON.stringify(created.body)}`);
    const activated = await this.call('POST', `/v1/campaigns/${created.body.campaignId}/activate`);
    if (activated.body.status !== 'ACTIVE') throw new Error(`campaign not activated: ${JSON.stringify(activated.body)}`);
    return { campaignId: created.body.campaignId, segmentId };
  }

  /** A customer whose profile and tier campaign has kept. */
  async customer(features: Partial<ProfileFeatures> = {}, tier = 'GOLD'): Promise<string> {
    const customerId = uniqueName('C');
    const at = new Date().toISOString();
    const snapshot: ProfileFeatures = { aumMinor: 60_000_000, productsHeld: ['DEPOSIT_CURRENT'], txnCount30d: 3, txnCount90d: 9, txnAmount30dMinor: 100, txnAmount90dMinor: 300, tags: [], consents: { marketing: { app_push: true, sms: true } }, riskTolerance: 'R3', rmId: 'RM007', ...features };
    await this.publisher.publishAll([
      { topic: TOPICS.profile, envelope: newEnvelope('ProfileUpdated', { customerId, version: 1, changedFields: ['aumMinor'], features: snapshot }, { source: 'meridian-profile', customerId, occurredAt: at }) },
      { topic: TOPICS.segment, envelope: newEnvelope('TierChanged', { customerId, to: tier, reason: 'test' }, { source: 'meridian-segmentation', customerId, occurredAt: at }) },
    ]);
    await waitFor(async () => {
      const profile = (await this.db.collection('customer_profiles').findOne({ _id: customerId as never })) as Record<string, any> | null;
      const segments = (await this.db.collection('customer_segments').findOne({ _id: customerId as never })) as Record<string, any> | null;
      // Kept in both: MongoDB (the lasting copy) and the Redis facts decisions read.
      const [version, kept] = await this.redis.hmget(`${this.env.MONGODB_DATABASE}:cmp:facts:${customerId}`, 'v', 'd:tier');
      return profile?.version === 1 && segments?.derived?.tier?.value === tier && version === '1' && kept !== null && JSON.parse(kept).value === tier;
    }, 60_000, `customer ${customerId} kept`);
    return customerId;
  }

  /** The customer erased: profile's last ProfileUpdated (status ERASED, nothing of them in it), once campaign has kept it. */
  async erase(customerId: string, version = 2): Promise<void> {
    const features: ProfileFeatures = { aumMinor: 0, productsHeld: [], txnCount30d: 0, txnCount90d: 0, txnAmount30dMinor: 0, txnAmount90dMinor: 0, tags: [] };
    await this.publisher.publishAll([{ topic: TOPICS.profile, envelope: newEnvelope('ProfileUpdated', { customerId, version, changedFields: ['status'], features, status: 'ERASED' }, { source: 'meridian-profile', customerId, occurredAt: new Date().toISOString() }) }]);
    await waitFor(async () => (await this.redis.hget(`${this.env.MONGODB_DATABASE}:cmp:facts:${customerId}`, 's')) === 'ERASED', 60_000, `${customerId} erased`);
  }

  /** The customer enters the segment: a trigger, under the event id given (a redelivery reuses one). */
  async enter(customerId: string, segmentId: string, eventId = uniqueName('evt')): Promise<string> {
    await this.publisher.publishAll([{ topic: TOPICS.segment, envelope: newEnvelope('SegmentMembershipChanged', { customerId, segmentId, change: 'ENTERED' }, { eventId, source: 'meridian-segmentation', customerId, occurredAt: new Date().toISOString() }) }]);
    return eventId;
  }

  decisionsOf(customerId: string, campaignId?: string): Decision[] {
    return this.out.json<Decision>(this.topic(TOPICS.campaign)).filter((e) => (e.type === 'CampaignMessageRequested' || e.type === 'CampaignMessageSuppressed') && e.payload.customerId === customerId && (!campaignId || e.payload.campaignId === campaignId));
  }

  /** Waits for `n` decisions of the customer (by distinct event id), and answers them. */
  async decided(customerId: string, n = 1, campaignId?: string, timeoutMs = 60_000): Promise<Decision[]> {
    return waitFor(async () => {
      await this.out.readToEnd();
      const unique = [...new Map(this.decisionsOf(customerId, campaignId).map((e) => [e.eventId, e])).values()];
      return unique.length >= n ? unique : undefined;
    }, timeoutMs, `${n} decisions for ${customerId}`);
  }

  /** Every event of a type campaign published, one per event id. */
  async published<T>(type: string): Promise<EnvelopeInit<T>[]> {
    await this.out.readToEnd();
    return [...new Map(this.out.json<EnvelopeInit<T>>(this.topic(TOPICS.campaign)).filter((e) => e.type === type).map((e) => [e.eventId, e])).values()];
  }
}
