import { DecodeResult, TOPIC_REGISTRY, TopicRegistry, validateEnvelope } from '@meridian/events';
import { INBOUND_TOPIC_OF } from './canonical-event';

/** The inbound types as one pseudo-topic: what POST /v1/events and imports accept. */
export const HTTP_TOPIC = 'POST /v1/events';

const HTTP_REGISTRY: TopicRegistry = {
  [HTTP_TOPIC]: {
    key: 'none',
    types: Object.fromEntries(Object.entries(INBOUND_TOPIC_OF).map(([type, topic]) => [type, TOPIC_REGISTRY[topic].types[type]])),
  },
};

/**
 * A parsed JSON value from HTTP or CSV, validated as the core envelope its `type` names
 * (CONTRACTS.md §2). Never throws: a failure names each field and rule.
 */
export function validateInbound(raw: unknown): { decoded: DecodeResult; topic: string } {
  const decoded = validateEnvelope(HTTP_TOPIC, raw, HTTP_REGISTRY);
  return { decoded, topic: decoded.ok ? INBOUND_TOPIC_OF[decoded.envelope.type] : HTTP_TOPIC };
}
