/** What the demo's parts share to watch the services: a topic's events as they come, and a bounded wait. */
import { createRequire } from 'node:module';
import path from 'node:path';
import { root } from './demo-state.mjs';

const require = createRequire(import.meta.url);
const { Kafka, logLevel } = require('kafkajs');
const { ensureTopics } = require(path.join(root, 'libs/events/dist/kafka/topic-admin.js'));

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Every event of `topic` from now on, kept in memory for the demo to read. */
export async function watchTopic(brokers, topic) {
  const kafka = new Kafka({ clientId: 'meridian-demo', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  // A fresh broker may not serve the topic's metadata yet even with the services healthy
  // (a KRaft broker answers UNKNOWN_TOPIC_OR_PARTITION for a moment): wait for its leaders.
  await ensureTopics(kafka, [{ topic }]);
  const consumer = kafka.consumer({ groupId: `meridian-demo-${Date.now().toString(36)}-${topic}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: false });
  const events = [];
  let assigned;
  const ready = new Promise((r) => (assigned = r));
  consumer.on(consumer.events.GROUP_JOIN, () => assigned());
  await consumer.run({ eachMessage: async ({ message }) => void events.push(JSON.parse(message.value.toString())) });
  await Promise.race([ready, sleep(15_000)]);
  return { events, stop: () => consumer.disconnect() };
}

/** `fn`'s first truthy answer, asked every half second, or a failure naming `what`. */
export async function until(what, fn, withinMs = 60_000) {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(500);
  }
}
