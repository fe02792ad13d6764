import { Controller, INestApplication } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { CustomerUpserted, EventEnvelope, TOPICS } from '@meridian/events';
import { sampleEnvelope } from '@meridian/events/testing';
import {
  BatchEventPattern,
  BatchOutcome,
  BatchRecord,
  EventPublisher,
  EventTypePattern,
  KafkaBatchContext,
  KafkaEventContext,
  KafkaEventServer,
  RecordContext,
  ensureTopics,
} from '@meridian/events/kafka';
import { Kafka } from 'kafkajs';
import { ProblemDetailsFilter } from '../http/problem-details.filter';
import { TopicReader, testKafka, uniqueName, waitFor } from '../testing';

const received: Array<{ envelope: EventEnvelope<CustomerUpserted>; record: RecordContext }> = [];
const batches: BatchRecord[][] = [];

@Controller()
class CustomerHandlers {
  /** A thin @EventPattern handler: typed, validated payload in; the runner does the rest. */
  @EventTypePattern('CustomerUpserted')
  async onCustomerUpserted(@Payload() envelope: EventEnvelope<CustomerUpserted>, @Ctx() context: KafkaEventContext) {
    if (envelope.payload.name === 'FAIL') throw new Error('profile store unavailable');
    received.push({ envelope, record: context.record });
  }

  /** A batch handler: one partition's run of records in, one outcome per record out. */
  @BatchEventPattern([TOPICS.interaction])
  async onInteractions(@Payload() records: BatchRecord[], @Ctx() context: KafkaBatchContext): Promise<BatchOutcome[]> {
    await context.control.heartbeat();
    batches.push(records);
    return records.map((r) =>
      r.decoded.ok && (r.decoded.envelope.payload as { text?: string }).text === 'reject me'
        ? { status: 'rejected', reason: { code: 'REJECTED', message: 'not for us', rule: 'testRule' } }
        : { status: 'applied' },
    );
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
    await ensureTopics(kafka, [{ topic: TOPICS.customer }, { topic: TOPICS.interaction }, { topic: TOPICS.deadLetter }], { topicPrefix: prefix });
    publisher = new EventPublisher(kafka, { topicPrefix: prefix });
    const moduleRef = await Test.createTestingModule({ controllers: [CustomerHandlers] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new ProblemDetailsFilter());
    server = new KafkaEventServer({
      kafka,
      groupId: uniqueName('nest-group'),
      service: 'nest-test',
      topics: [TOPICS.customer, TOPICS.interaction],
      topicPrefix: prefix,
      deadLetters: publisher,
      retry: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 20 },
      probe: async () => undefined,
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

  it('hands a @BatchEventPattern handler runs of decoded records and dead-letters what it rejects', async () => {
    const events = Array.from({ length: 5 }, () => sampleEnvelope(TOPICS.interaction, 'InteractionRecorded'));
    (events[2].payload as Record<string, unknown>).text = 'reject me';
    const before = dlq.records.length;
    await publisher.publish(TOPICS.interaction, events);
    await waitFor(() => batches.flat().length === 5, 30_000, 'the 5 records in batches');
    await waitFor(() => dlq.records.length === before + 1, 30_000, 'the rejected record dead-lettered');
    const handled = batches.flat().map((r) => (r.decoded.ok ? r.decoded.envelope.eventId : undefined));
    expect(handled).toEqual(events.map((e) => e.eventId));
    expect(batches.flat().every((r) => r.decoded.ok && r.context.topic === TOPICS.interaction)).toBe(true);
    const letter = dlq.json<{ payload: any }>()[before].payload;
    expect(letter.reason).toEqual({ code: 'REJECTED', message: 'not for us', rule: 'testRule' });
    expect(JSON.parse(Buffer.from(letter.rawValue, 'base64').toString()).eventId).toBe(events[2].eventId);
  });
});
