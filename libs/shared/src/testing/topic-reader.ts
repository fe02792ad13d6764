import { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { uniqueName, waitFor } from './test-servers';

/**
 * Collects every record of some physical topics from the beginning, with its own
 * consumer group, so a test can assert on what a service published.
 */
export class TopicReader {
  readonly records: Array<{ topic: string; partition: number; message: KafkaMessage }> = [];
  private consumer?: Consumer;

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: string[],
  ) {}

  async start(): Promise<this> {
    this.consumer = this.kafka.consumer({ groupId: uniqueName('reader'), allowAutoTopicCreation: true });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        this.records.push({ topic, partition, message });
      },
    });
    return this;
  }

  json<T = Record<string, unknown>>(topic?: string): T[] {
    return this.records
      .filter((r) => !topic || r.topic === topic)
      .map((r) => JSON.parse(r.message.value!.toString('utf8')) as T);
  }

  /** Waits until every record the topics held when called has been read (what "the last one published" needs). */
  async readToEnd(timeoutMs = 30_000): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      for (const topic of this.topics) {
        for (const p of (await admin.fetchTopicOffsets(topic)).filter((o) => Number(o.high) > 0)) {
          const last = Number(p.high) - 1;
          await waitFor(() => this.records.some((r) => r.topic === topic && r.partition === p.partition && Number(r.message.offset) >= last), timeoutMs, `${topic} partition ${p.partition} read to offset ${last}`);
        }
      }
    } finally {
      await admin.disconnect();
    }
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
