import type { IHeaders } from 'kafkajs';
import type { DecodeResult } from '../envelope/codec';
import type { EventEnvelope } from '../envelope/event-envelope';
import type { DeadLetterReason } from '../topics/crm-deadletter/dead-letter.event';

/** Where a record came from; handed to handlers beside the envelope. */
export interface RecordContext {
  /** Logical topic, as in TOPICS (without KAFKA_TOPIC_PREFIX). */
  topic: string;
  /** The Kafka topic the record was read from. */
  physicalTopic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: IHeaders;
  /** 1 on the first try, 2 on the first retry, … */
  attempt: number;
}

/** A per-type (`@EventPattern('<Type>')`) handler: one decoded, validated envelope at a time. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EventHandler<P = any> = (envelope: EventEnvelope<P>, context: RecordContext) => Promise<void>;

/** One record of a partition batch, decoded (or not) by the runner, for a batch handler. */
export interface BatchRecord<P = unknown> {
  context: RecordContext;
  /** The raw bytes, as read. */
  value: Buffer | null;
  /** Decoded and validated, or why not. The runner dead-letters failures whatever the handler answers. */
  decoded: DecodeResult<P>;
}

/** What became of one record of a batch; the runner dead-letters `rejected` ones with the reason. */
export type BatchOutcome =
  | { status: 'applied' | 'duplicate' | 'skipped' }
  | { status: 'rejected'; reason: DeadLetterReason };

export interface BatchControl {
  /** Keeps the group membership alive during long work. */
  heartbeat(): Promise<void>;
}

/**
 * Applies a run of one partition's records, in offset order, and answers one outcome per
 * record (same order). It owns its idempotency (the runner's guard is not consulted), must
 * keep per-key order, and throws only for transient failures: the runner retries the run
 * with backoff, then record by record, and dead-letters a record that still fails.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type BatchHandler<P = any> = (records: BatchRecord<P>[], control: BatchControl) => Promise<BatchOutcome[]>;

/**
 * What the runner drives: a batch handler, and what must follow once a run's outcomes are
 * settled and its dead letters are out (recording applied eventIds). A failure there is not
 * the handler's: the run is neither retried nor dead-lettered, but redelivered.
 */
export interface RunHandler {
  handle: BatchHandler;
  afterApplied?: (records: BatchRecord[]) => Promise<void>;
}
