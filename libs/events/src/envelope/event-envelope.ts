import { IsInt, IsObject, Matches, Max, Min } from 'class-validator';
import { OptionalString, RequiredString } from '../validation/fields';
import { IsOffsetDateTime } from '../validation/rules';

/** Every Kafka message's value (CONTRACTS.md §1). */
export class EventEnvelope<P = unknown> {
  /** Unique per event; producers retry with the same id. */
  @RequiredString(128)
  @Matches(/^[\x21-\x7e]+$/, { message: 'eventId must be printable ASCII without spaces' })
  eventId!: string;

  @RequiredString(64)
  @Matches(/^[A-Z][A-Za-z0-9]*$/, { message: 'type must be an event type name in PascalCase' })
  type!: string;

  @IsInt()
  @Min(1)
  @Max(1000)
  schemaVersion!: number;

  @IsOffsetDateTime()
  occurredAt!: string;

  @RequiredString(64)
  source!: string;

  /** Canonical id; absent on core.* (raw) topics. */
  @OptionalString(64)
  customerId?: string;

  @OptionalString(128)
  correlationId?: string;

  @OptionalString(128)
  causationId?: string;

  @IsObject()
  payload!: P;
}

/** The plain JSON shape of an envelope, as producers build it. */
export interface EnvelopeInit<P = unknown> {
  eventId: string;
  type: string;
  schemaVersion: number;
  occurredAt: string;
  source: string;
  customerId?: string;
  correlationId?: string;
  causationId?: string;
  payload: P;
}

/** Kafka header names (CONTRACTS.md §1). */
export const HEADERS = {
  type: 'type',
  schemaVersion: 'schema-version',
  contentType: 'content-type',
  correlationId: 'correlation-id',
} as const;

export const CONTENT_TYPE_JSON = 'application/json';
