import { randomUUID } from 'node:crypto';
import { CompressionTypes, Kafka, Message, Partitioners, Producer } from 'kafkajs';
import { validateEnvelope } from '../envelope/codec';
import { CONTENT_TYPE_JSON, EnvelopeInit, HEADERS } from '../envelope/event-envelope';
import { sourceRefKey } from '../topics/source-reference';
import { TOPIC_REGISTRY, TopicRegistry } from '../topics/topic-registry';

/** Value bytes per produce request: well under the broker's default message.max.bytes (1 MB), headers and keys included. */
const REQUEST_BYTES = 512 * 1024;

export interface NewEnvelopeOptions {
  source: string;
  customerId?: string;
  /** From the event or the service's injected clock (ARCHITECTURE.md principle 6). */
  occurredAt: string;
  correlationId?: string;
  causationId?: string;
  eventId?: string;
  schemaVersion?: number;
}

/** Builds an envelope with a fresh eventId unless one is given. */
export function newEnvelope<P>(type: string, payload: P, options: NewEnvelopeOptions): EnvelopeInit<P> {
  return {
    eventId: options.eventId ?? randomUUID(),
    type,
    schemaVersion: options.schemaVersion ?? 1,
    occurredAt: options.occurredAt,
    source: options.source,
    ...(options.customerId !== undefined && { customerId: options.customerId }),
    ...(options.correlationId !== undefined && { correlationId: options.correlationId }),
    ...(options.causationId !== undefined && { causationId: options.causationId }),
    payload,
  };
}

export class PublishValidationError extends Error {
  constructor(
    readonly topic: string,
    readonly eventId: string,
    readonly details: string,
  ) {
    super(`refusing to publish ${eventId} on ${topic}: ${details}`);
    this.name = 'PublishValidationError';
  }
}

export interface OutgoingEvent {
  topic: string;
  envelope: EnvelopeInit;
  /** Overrides the key the registry derives (used by dead letters, which keep the original key). */
  key?: string | null;
  /**
   * Built by code whose every output a property test proves valid on its topic (ingest's
   * canonical events, the hottest path): the publisher does not validate it again. Anything
   * assembled from unchecked values must leave this unset.
   */
  trusted?: boolean;
}

/**
 * The typed publisher: validates every envelope (but those marked `trusted`) against the topic registry before it
 * leaves, keys it per CONTRACTS.md (customerId on crm.*, sourceSystem:sourceCustomerId on
 * core.*), sets the type / schema-version / content-type headers, and sends through an
 * idempotent producer (acks=all), so a retry inside kafkajs never writes twice.
 */
export class EventPublisher {
  private readonly producer: Producer;
  private connected = false;

  private readonly registry: TopicRegistry;
  /** Physical topic = prefix + logical topic: isolates tests, tenants or environments sharing a cluster. */
  readonly topicPrefix: string;

  constructor(kafka: Kafka, options: { registry?: TopicRegistry; topicPrefix?: string } = {}) {
    this.registry = options.registry ?? TOPIC_REGISTRY;
    this.topicPrefix = options.topicPrefix ?? '';
    // The default partitioner hashes keys like the Java client (murmur2), so a customer's
    // records land on the same partition whoever produces them.
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: true,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    await this.producer.connect();
    this.connected = true;
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    await this.producer.disconnect();
  }

  keyFor(topic: string, envelope: EnvelopeInit): string | null {
    const def = this.registry[topic];
    if (!def || def.key === 'none') return null;
    if (def.key === 'sourceRef') {
      const p = envelope.payload as { sourceSystem?: string; sourceCustomerId?: string };
      return p?.sourceSystem && p?.sourceCustomerId
        ? sourceRefKey({ sourceSystem: p.sourceSystem, sourceCustomerId: p.sourceCustomerId })
        : null;
    }
    return envelope.customerId ?? null;
  }

  toMessage(event: OutgoingEvent): Message {
    // One serialisation serves both the check (what a consumer will decode) and the value.
    const text = JSON.stringify(event.envelope);
    if (!event.trusted) {
      const result = validateEnvelope(event.topic, JSON.parse(text), this.registry);
      if (!result.ok) throw new PublishValidationError(event.topic, event.envelope.eventId, result.message);
    }
    const headers: Record<string, string> = {
      [HEADERS.type]: event.envelope.type,
      [HEADERS.schemaVersion]: String(event.envelope.schemaVersion),
      [HEADERS.contentType]: CONTENT_TYPE_JSON,
    };
    if (event.envelope.correlationId) headers[HEADERS.correlationId] = event.envelope.correlationId;
    return {
      key: event.key !== undefined ? event.key : this.keyFor(event.topic, event.envelope),
      value: Buffer.from(text, 'utf8'),
      headers,
    };
  }

  async publish(topic: string, envelopes: EnvelopeInit | EnvelopeInit[]): Promise<void> {
    const list = Array.isArray(envelopes) ? envelopes : [envelopes];
    await this.publishAll(list.map((envelope) => ({ topic, envelope })));
  }

  /**
   * Validates all first, then sends, in order: an invalid event sends nothing. A long list
   * goes in requests of at most REQUEST_BYTES of values, as the broker refuses a request
   * (a record batch) above its message.max.bytes (1 MB by default).
   */
  async publishAll(events: OutgoingEvent[]): Promise<void> {
    if (!events.length) return;
    const messages = events.map((event) => ({ topic: event.topic, message: this.toMessage(event) }));
    await this.connect();
    for (let start = 0; start < messages.length; ) {
      const byTopic = new Map<string, Message[]>();
      let bytes = 0;
      let end = start;
      for (; end < messages.length && (end === start || bytes + (messages[end].message.value as Buffer).length <= REQUEST_BYTES); end++) {
        const { topic, message } = messages[end];
        bytes += (message.value as Buffer).length;
        const list = byTopic.get(topic) ?? [];
        list.push(message);
        byTopic.set(topic, list);
      }
      await this.producer.sendBatch({
        acks: -1,
        compression: CompressionTypes.None,
        topicMessages: [...byTopic].map(([topic, list]) => ({ topic: this.topicPrefix + topic, messages: list })),
      });
      start = end;
    }
  }
}
