import { setTimeout as sleep } from 'node:timers/promises';
import { Admin, Kafka } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  numPartitions?: number;
}

/** Kafka error types that only mean "the broker has not caught up with the new topic yet". */
const NOT_YET = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_FOR_PARTITION']);

/**
 * Creates missing topics and waits until every partition has a leader, so a first
 * consumer does not meet "group coordinator not available" (INFRA.md). Safe to call again,
 * and from several instances at once.
 *
 * kafkajs' own `waitForLeaders` retries only LEADER_NOT_AVAILABLE; a KRaft broker briefly
 * answers UNKNOWN_TOPIC_OR_PARTITION for a topic it has just created, which kafkajs then
 * throws. We create without it and poll the metadata ourselves.
 */
export async function ensureTopics(
  kafka: Kafka,
  topics: TopicSpec[],
  options: { defaultPartitions?: number; topicPrefix?: string; timeoutMs?: number } = {},
): Promise<void> {
  const prefix = options.topicPrefix ?? '';
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(prefix + t.topic));
    if (missing.length) {
      try {
        await admin.createTopics({
          waitForLeaders: false,
          topics: missing.map((t) => ({ topic: prefix + t.topic, numPartitions: t.numPartitions ?? options.defaultPartitions ?? 3 })),
        });
      } catch (error) {
        // Another instance created them first.
        if (!isAlreadyExists(error)) throw error;
      }
    }
    await waitForLeaders(admin, topics.map((t) => prefix + t.topic), options.timeoutMs ?? 30_000);
  } finally {
    await admin.disconnect();
  }
}

function isAlreadyExists(error: unknown): boolean {
  const e = error as { type?: string; message?: string; errors?: Array<{ type?: string }> };
  if (e.type === 'TOPIC_ALREADY_EXISTS' || /already exists/i.test(String(e.message))) return true;
  return Array.isArray(e.errors) && e.errors.length > 0 && e.errors.every((x) => x.type === 'TOPIC_ALREADY_EXISTS');
}

async function waitForLeaders(admin: Admin, topics: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1_000)) {
    let waitingFor: string;
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
      const leaderless = metadata.find((t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0));
      if (!leaderless) return;
      waitingFor = `a leader for ${leaderless.name}`;
    } catch (error) {
      const e = error as { type?: string; originalError?: { type?: string } };
      if (!NOT_YET.has(e.type ?? e.originalError?.type ?? '')) throw error;
      waitingFor = `${(error as Error).message}`;
    }
    if (Date.now() >= deadline) throw new Error(`topics not ready after ${timeoutMs} ms: waiting for ${waitingFor}`);
    await sleep(delay);
  }
}

/** Broker reachable and metadata served: the readiness check of /health. */
export async function describeCluster(kafka: Kafka): Promise<{ brokers: number; controller: number | null }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const cluster = await admin.describeCluster();
    return { brokers: cluster.brokers.length, controller: cluster.controller };
  } finally {
    await admin.disconnect();
  }
}
