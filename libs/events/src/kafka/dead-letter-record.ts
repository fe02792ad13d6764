import { createHash } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import type { DeadLetter, DeadLetterReason } from '../topics/crm-deadletter/dead-letter.event';
import { OutgoingEvent, newEnvelope } from './event-publisher';

export interface DeadLetterSource {
  service: string;
  groupId: string;
  deadLetterTopic: string;
  /** The physical topic and partition the record was read from. */
  topic: string;
  partition: number;
}

/**
 * The DeadLetter event for one record: the original bytes, where they came from, why and
 * after how many attempts. Its eventId is derived from group, topic, partition and offset,
 * so the same record dead-lettered twice (a crash before the commit) is the same event.
 */
export function deadLetterRecord(source: DeadLetterSource, message: KafkaMessage, reason: DeadLetterReason, attempts: number, failedAt: Date): OutgoingEvent {
  const key = message.key ? message.key.toString('utf8') : null;
  const payload: DeadLetter = {
    originalTopic: source.topic,
    partition: source.partition,
    offset: message.offset,
    ...(key ? { key: key.slice(0, 4096) } : {}),
    ...(message.value?.length ? { rawValue: message.value.toString('base64') } : {}),
    service: source.service,
    reason,
    attempts,
    failedAt: failedAt.toISOString(),
  };
  const id = createHash('sha256').update(`${source.groupId}\u0000${source.topic}\u0000${source.partition}\u0000${message.offset}`).digest('hex').slice(0, 40);
  // Within the envelope's 128 characters whatever the group and topic names.
  const envelope = newEnvelope('DeadLetter', payload, { source: source.service, occurredAt: payload.failedAt, eventId: `deadletter:${id}` });
  return { topic: source.deadLetterTopic, envelope, key };
}
