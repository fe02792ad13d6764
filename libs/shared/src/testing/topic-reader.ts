import { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { uniqueName } from './test-servers';

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

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
