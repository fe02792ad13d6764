import { Controller, INestApplication } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { CustomerUpserted, EventEnvelope, TOPICS } from '@meridian/events';
import { sampleEnvelope } from '@meridian/events/testing';
import { EventPublisher, KafkaEventContext, KafkaEventServer, RecordContext, ensureTopics } from '@meridian/events/kafka';
import { Kafka } from 'kafkajs';
import { ProblemDetailsFilter } from '../http/problem-details.filter';
import { TopicReader, testKafka, uniqueName, waitFor } from '../testing';

const received: Array<{ envelope: EventEnvelope<CustomerUpserted>; record: RecordContext }> = [];

@Controller()
class CustomerHandlers {
  /** A thin @EventPattern handler: typed, validated payload in; the runner does the rest. */
  @EventPattern('CustomerUpserted')
  async onCustomerUpserted(@Payload() envelope: EventEnvelope<CustomerUpserted>, @Ctx() context: KafkaEventContext) {
    if (envelope.payload.name === 'FAIL') throw new Error('profile store unavailable');
    received.push({ envelope, record: context.record });
  }
}

describe('KafkaEventServer: @EventPattern handlers on the consumer runner', () => {
  let kafka: Kafka;
  let app: INestApplication;
  let server: KafkaEventServer;
  let publisher: EventPublisher;
  let dlq: TopicReader;
  const prefix = `${uniqueName('nest')}.`;

  beforeAll(async () => {
    kafka = testKafka();
    await ensureTopics(kafka, [{ topic: TOPICS.customer }, { topic: TOPICS.deadLetter }], { topicPrefix: prefix });
    publisher = new EventPublisher(kafka, { topicPrefix: prefix });
    const moduleRef = await Test.createTestingModule({ controllers: [CustomerHandlers] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new ProblemDetailsFilter());
    server = new KafkaEventServer({
      kafka,
      groupId: uniqueName('nest-group'),
      service: 'nest-test',
      topics: [TOPICS.customer],
      topicPrefix: prefix,
      deadLetters: publisher,
      retry: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 20 },
    });
    app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
    await app.init();
    await app.startAllMicroservices();
    await server.ready();
    dlq = await new TopicReader(kafka, [prefix + TOPICS.deadLetter]).start();
  });

  afterAll(async () => {
    await dlq?.stop();
    await app?.close();
    await publisher?.disconnect();
  });

  it('hands the handler a validated, typed envelope and the record context', async () => {
    const event = sampleEnvelope(TOPICS.customer, 'CustomerUpserted');
    await publisher.publish(TOPICS.customer, event);
    const got = await waitFor(() => received.find((r) => r.envelope.eventId === event.eventId), 30_000, 'the event');
    expect(got.envelope.payload).toBeInstanceOf(CustomerUpserted);
    expect(got.envelope.customerId).toBe('C0000123');
    expect(got.record).toMatchObject({ topic: TOPICS.customer, physicalTopic: prefix + TOPICS.customer, key: 'C0000123', attempt: 1 });
  });

  it('retries a throwing handler, then dead-letters it, and goes on', async () => {
    const failing = sampleEnvelope(TOPICS.customer, 'CustomerUpserted');
    (failing.payload as Record<string, unknown>).name = 'FAIL';
    const after = sampleEnvelope(TOPICS.customer, 'CustomerUpserted');
    await publisher.publish(TOPICS.customer, [failing, after]);
    await waitFor(() => received.some((r) => r.envelope.eventId === after.eventId), 30_000, 'the next event');
    await waitFor(() => dlq.records.length === 1, 30_000, 'the dead letter');
    const letter = dlq.json<{ payload: any }>()[0].payload;
    expect(letter.reason).toMatchObject({ code: 'HANDLER_FAILED', message: 'profile store unavailable' });
    expect(letter.attempts).toBe(2);
    expect(JSON.parse(Buffer.from(letter.rawValue, 'base64').toString()).eventId).toBe(failing.eventId);
  });
});
