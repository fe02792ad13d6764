import { TOPICS } from '@meridian/events';
import { EventPublisher, ensureTopics, newEnvelope } from '@meridian/events/kafka';
import { TopicReader, testKafka, uniqueName } from '../testing';

/**
 * A run that announces a lot at once (segmentation's first evaluation of a batch: a dozen
 * events a customer) goes out in requests under the broker's message.max.bytes, in order,
 * instead of one request the broker refuses.
 */
describe('EventPublisher.publishAll splits what it sends (real Kafka)', () => {
  it('publishes ~2 MB of events in one call, every one once, in order per key', async () => {
    const prefix = `${uniqueName('pub')}.`;
    const kafka = testKafka();
    await ensureTopics(kafka, [{ topic: TOPICS.segment }], { topicPrefix: prefix });
    const publisher = new EventPublisher(kafka, { topicPrefix: prefix });
    const reason = 'x'.repeat(450);
    const events = Array.from({ length: 4_000 }, (_, i) => ({
      topic: TOPICS.segment,
      envelope: newEnvelope('TierChanged', { customerId: `C${i % 7}`, to: 'GOLD' as const, reason: `${i} ${reason}` }, { eventId: `e-${i}`, source: 'test', customerId: `C${i % 7}`, occurredAt: '2026-12-01T00:00:00Z' }),
    }));
    const reader = await new TopicReader(kafka, [prefix + TOPICS.segment]).start();
    try {
      await publisher.publishAll(events);
      await reader.readToEnd();
      const got = reader.json<{ eventId: string; customerId: string }>();
      expect(got.length).toBe(events.length);
      for (let c = 0; c < 7; c++) {
        const ids = got.filter((e) => e.customerId === `C${c}`).map((e) => Number(e.eventId.slice(2)));
        expect(ids).toEqual([...ids].sort((a, b) => a - b));
      }
    } finally {
      await reader.stop();
      await publisher.disconnect();
    }
  }, 60_000);
});
