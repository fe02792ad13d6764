import { ValidatorOptions, validateSync } from 'class-validator';
import { DeadLetterCode } from '../topics/crm-deadletter/dead-letter.event';
import { TOPIC_REGISTRY, TopicRegistry } from '../topics/topic-registry';
import { instantiate } from '../validation/instantiate';
import { cacheValidationMetadata } from '../validation/metadata-cache';
import { FieldError, toFieldErrors } from '../validation/validation-error';
import { EnvelopeInit, EventEnvelope } from './event-envelope';

cacheValidationMetadata();

const VALIDATOR_OPTIONS: ValidatorOptions = {
  forbidUnknownValues: true,
  // Additive evolution (CONTRACTS.md): unknown fields from a newer producer are stripped, not refused.
  whitelist: true,
  validationError: { target: false, value: false },
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface DecodeFailure {
  ok: false;
  code: DeadLetterCode;
  message: string;
  errors: FieldError[];
  /** What could be read before the failure, for logs, dead letters and data-quality counts. */
  eventId?: string;
  type?: string;
  /** The producing system: `payload.sourceSystem` when readable, else the envelope's `source`. */
  source?: string;
}

export interface DecodeSuccess<P = unknown> {
  ok: true;
  envelope: EventEnvelope<P>;
}

export type DecodeResult<P = unknown> = DecodeSuccess<P> | DecodeFailure;

function failure(code: DeadLetterCode, message: string, errors: FieldError[] = [], raw?: Record<string, unknown>): DecodeFailure {
  return {
    ok: false,
    code,
    message,
    errors,
    eventId: typeof raw?.eventId === 'string' ? raw.eventId : undefined,
    type: typeof raw?.type === 'string' ? raw.type : undefined,
    source: sourceOf(raw),
  };
}

function sourceOf(raw: Record<string, unknown> | undefined): string | undefined {
  const payload = raw?.payload as Record<string, unknown> | undefined;
  const candidate = typeof payload === 'object' && payload !== null && typeof payload.sourceSystem === 'string' ? payload.sourceSystem : raw?.source;
  return typeof candidate === 'string' && candidate.length > 0 && candidate.length <= 64 ? candidate : undefined;
}

/** Serialises an envelope as UTF-8 JSON (CONTRACTS.md §1). */
export function encode(envelope: EnvelopeInit | EventEnvelope): Buffer {
  return Buffer.from(JSON.stringify(envelope), 'utf8');
}

/**
 * Validates a plain object as an envelope of `topic`: envelope rules, then the event type
 * allowed on the topic, then upcasting to the current schema version, then the payload
 * class. Never throws: every failure comes back with a machine-readable code.
 */
export function validateEnvelope<P = unknown>(
  topic: string,
  raw: unknown,
  registry: TopicRegistry = TOPIC_REGISTRY,
): DecodeResult<P> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return failure('INVALID_ENVELOPE', 'value must be a JSON object', [
      { field: '', rule: 'isObject', message: 'envelope must be a JSON object' },
    ]);
  }
  const plain = raw as Record<string, unknown>;
  const envelope = instantiate(EventEnvelope, plain) as EventEnvelope<Record<string, unknown>>;
  const envelopeErrors = toFieldErrors(validateSync(envelope, { ...VALIDATOR_OPTIONS, whitelist: false }));
  if (envelopeErrors.length) {
    return failure('INVALID_ENVELOPE', envelopeErrors.map((e) => e.message).join('; '), envelopeErrors, plain);
  }

  const topicDef = registry[topic];
  if (!topicDef) return failure('UNKNOWN_TYPE', `topic ${topic} is not in the topic registry`, [], plain);
  const typeDef = topicDef.types[envelope.type];
  if (!typeDef) {
    return failure(
      'UNKNOWN_TYPE',
      `type ${envelope.type} is not allowed on ${topic} (allowed: ${Object.keys(topicDef.types).join(', ')})`,
      [{ field: 'type', rule: 'isKnownType', message: `type ${envelope.type} is not allowed on ${topic}` }],
      plain,
    );
  }

  let payload = plain.payload as Record<string, unknown>;
  if (envelope.schemaVersion > typeDef.schemaVersion) {
    return failure(
      'UNSUPPORTED_SCHEMA_VERSION',
      `${envelope.type} schemaVersion ${envelope.schemaVersion} is newer than ${typeDef.schemaVersion}`,
      [{ field: 'schemaVersion', rule: 'isSupportedVersion', message: `schemaVersion must be ≤ ${typeDef.schemaVersion}` }],
      plain,
    );
  }
  for (let v = envelope.schemaVersion; v < typeDef.schemaVersion; v++) {
    const upcast = typeDef.upcasters?.[v];
    if (!upcast) {
      return failure(
        'UNSUPPORTED_SCHEMA_VERSION',
        `${envelope.type} has no upcaster from schemaVersion ${v}`,
        [{ field: 'schemaVersion', rule: 'isSupportedVersion', message: `no upcaster from version ${v}` }],
        plain,
      );
    }
    payload = upcast(payload);
  }

  const typed = instantiate(typeDef.payload, payload);
  const payloadErrors = toFieldErrors(validateSync(typed, VALIDATOR_OPTIONS), 'payload');
  if (payloadErrors.length) {
    return failure('INVALID_PAYLOAD', payloadErrors.map((e) => e.message).join('; '), payloadErrors, plain);
  }
  envelope.payload = typed as Record<string, unknown>;
  envelope.schemaVersion = typeDef.schemaVersion;
  return { ok: true, envelope: envelope as unknown as EventEnvelope<P> };
}

/** Bytes from Kafka → a validated, typed envelope of `topic`, or the reason it is not one. */
export function decode<P = unknown>(
  topic: string,
  value: Buffer | null | undefined,
  registry: TopicRegistry = TOPIC_REGISTRY,
): DecodeResult<P> {
  if (!value || value.length === 0) return failure('EMPTY_VALUE', 'record has no value');
  let text: string;
  try {
    text = utf8.decode(value);
  } catch {
    return failure('INVALID_ENCODING', 'value is not valid UTF-8');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return failure('INVALID_JSON', `value is not valid JSON: ${jsonErrorWithoutInput((error as Error).message)}`);
  }
  return validateEnvelope<P>(topic, raw, registry);
}

/**
 * V8 quotes the start of the input in some JSON errors (`Unexpected token 'a', "{"name":"张三…"
 * is not valid JSON`): a dead letter's reason is read, logged and alerted on, so the quote
 * goes — the original bytes are in the dead letter for whoever may see them.
 */
function jsonErrorWithoutInput(message: string): string {
  return message.replace(/, ".*" is not valid JSON$/s, '').slice(0, 200);
}
