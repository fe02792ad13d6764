import type { KafkaMessage } from 'kafkajs';
import { HEADERS } from '../envelope/event-envelope';
import type { TopicRegistry } from '../topics/topic-registry';

/** A record's `type` header as text — its last value when repeated (Kafka's convention) — or none (absent, or null as a header may be). */
export function typeHeader(message: KafkaMessage): string | undefined {
  const header: unknown = message.headers?.[HEADERS.type];
  const value = Array.isArray(header) ? header[header.length - 1] : header;
  return typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('utf8') : undefined;
}

/** Declared types must be the topic's own, on a topic the project's publisher alone writes. */
export function checkBatchTypes(batchTypes: ReadonlyMap<string, ReadonlySet<string>> | undefined, registry: TopicRegistry): void {
  for (const [topic, types] of batchTypes ?? []) {
    if (topic.startsWith('core.')) throw new Error(`batch types on ${topic}: core.* records are the bank's systems', their type header is not ours to trust`);
    const known = registry[topic]?.types ?? {};
    if (!types.size) throw new Error(`batch types on ${topic}: none named (every record would be passed over)`);
    for (const type of types) if (!Object.hasOwn(known, type)) throw new Error(`batch types on ${topic}: ${type} is not a type of that topic`);
  }
}
