import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage, PartitionAssigners } from 'kafkajs';
import { CoPartitionedAssigner } from './co-partitioned-assigner';
import { DecodeFailure, DecodeResult, decode } from '../envelope/codec';
import { EventEnvelope } from '../envelope/event-envelope';
import { DeadLetter, DeadLetterCode, DeadLetterReason } from '../topics/crm-deadletter/dead-letter.event';
import { TOPIC_REGISTRY, TOPICS, TopicRegistry } from '../topics/topic-registry';
import { EventPublisher, OutgoingEvent, newEnvelope } from './event-publisher';
import {
  ConsumerMetrics,
  EventLogger,
  IdempotencyGuard,
  PermanentEventError,
  noMetrics,
  silentLogger,
} from './ports';

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

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, initialDelayMs: 200, maxDelayMs: 5_000 };

export interface ConsumerRunnerOptions {
  kafka: Kafka;
  /** The service's consumer group, e.g. `meridian-profile`. */
  groupId: string;
  /** The service name written into dead letters. */
  service: string;
  /** Logical topics (TOPICS values); the runner reads prefix + topic. */
  topics: string[];
  /** Physical topic = prefix + logical topic (KAFKA_TOPIC_PREFIX). */
  topicPrefix?: string;
  /** Event type → handler. Types allowed on a topic but without a handler are skipped. */
  handlers: Map<string, EventHandler>;
  /**
   * Logical topic → batch handler: that topic's records are handed over in runs of up to
   * `maxBatchSize` (throughput: one database round trip and one produce per run, not per
   * record). Per-type handlers are not used for such a topic.
   */
  batchHandlers?: Map<string, BatchHandler>;
  /** Largest run handed to a batch handler (default 500). */
  maxBatchSize?: number;
  /** Publishes dead letters; shared with the service's own publishing. */
  deadLetters: EventPublisher;
  deadLetterTopic?: string;
  guard?: IdempotencyGuard;
  retry?: Partial<RetryPolicy>;
  registry?: TopicRegistry;
  fromBeginning?: boolean;
  partitionsConsumedConcurrently?: number;
  /** Commit at least every N applied records inside a batch (and always at its end). */
  commitEvery?: number;
  logger?: EventLogger;
  metrics?: ConsumerMetrics;
  sessionTimeoutMs?: number;
  /**
   * Answers (resolves) when the service's own dependencies answer — its database, its cache.
   * Asked, with a re-run of a record that went through, before failures are taken for
   * poison: a re-run may pass without touching a database (an idempotent handler that
   * recognises the record), the probe does not.
   */
  probe?: () => Promise<void>;
  /** Runs before the group is joined, e.g. creating topics. */
  prepare?: () => Promise<void>;
  /** Wraps each handler call, e.g. to scope logs to the event's correlationId. */
  around?: <T>(envelope: EventEnvelope, run: () => Promise<T>) => Promise<T>;
}

class StopRequested extends Error {}

/** Consecutive isolated failures, with no success, that mean an outage rather than poison records. */
const OUTAGE_THRESHOLD = 3;

/** Exponential backoff with full jitter, capped. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Runs a consumer group on kafkajs `eachBatch`, one record at a time per partition (order
 * per customer is preserved), partitions in parallel:
 * decode → validate → idempotency guard → handler → bounded retries with backoff →
 * `crm.deadletter.v1` with the original bytes and a machine-readable reason → commit.
 * Offsets are committed only after a record's effect (or its dead letter) is durable.
 * `stop()` lets the record in flight finish, commits, and leaves the group.
 */
export class ConsumerRunner {
  private readonly consumer: Consumer;
  private readonly retry: RetryPolicy;
  private readonly registry: TopicRegistry;
  private readonly logger: EventLogger;
  private readonly metrics: ConsumerMetrics;
  private readonly deadLetterTopic: string;
  private readonly around: NonNullable<ConsumerRunnerOptions['around']>;
  private stopping = false;
  private running = false;

  constructor(private readonly options: ConsumerRunnerOptions) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.registry = options.registry ?? TOPIC_REGISTRY;
    this.logger = options.logger ?? silentLogger;
    this.metrics = options.metrics ?? noMetrics;
    this.deadLetterTopic = options.deadLetterTopic ?? TOPICS.deadLetter;
    this.around = options.around ?? ((_envelope, run) => run());
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      // One instance owns a partition number across all topics: one writer per customer.
      partitionAssigners: [CoPartitionedAssigner, PartitionAssigners.roundRobin],
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: 3_000,
      allowAutoTopicCreation: false,
      retry: { retries: 10 },
    });
  }

  private get prefix(): string {
    return this.options.topicPrefix ?? '';
  }

  get isRunning(): boolean {
    return this.running;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.stopping = false;
    try {
      await this.options.prepare?.();
      await this.options.deadLetters.connect();
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: this.options.topics.map((t) => this.prefix + t), fromBeginning: this.options.fromBeginning ?? true });
      await this.consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
        eachBatch: (payload) => this.eachBatch(payload),
      });
    } catch (error) {
      await this.consumer.disconnect().catch(() => undefined);
      throw error;
    }
    this.running = true;
    this.logger.info('consumer started', { groupId: this.options.groupId, topics: this.options.topics });
  }

  /**
   * Starts, and keeps trying with capped backoff while Kafka is unreachable, so a service
   * comes up (and reports Kafka down on /health) instead of crash-looping.
   */
  async startWithRetry(maxDelayMs = 30_000): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        await this.start();
        return;
      } catch (error) {
        const delay = Math.min(maxDelayMs, 1_000 * 2 ** Math.min(attempt - 1, 5));
        this.logger.warn('consumer could not start; retrying', { attempt, delay, error: (error as Error).message });
        const until = Date.now() + delay;
        while (!this.stopping && Date.now() < until) await sleep(Math.min(250, until - Date.now()));
      }
    }
  }

  /** Graceful: the record in flight finishes (retries are cut short), offsets are committed, the group is left. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (!this.running) return;
    await this.consumer.disconnect();
    this.running = false;
    this.logger.info('consumer stopped', { groupId: this.options.groupId });
  }

  private async eachBatch({
    batch,
    resolveOffset,
    heartbeat,
    commitOffsetsIfNecessary,
    isRunning,
    isStale,
  }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const logicalTopic = topic.startsWith(this.prefix) ? topic.slice(this.prefix.length) : topic;
    let pending: string | undefined;
    let sinceCommit = 0;
    const commitEvery = this.options.commitEvery ?? 100;
    const commit = async () => {
      if (pending === undefined) return;
      const offset = (BigInt(pending) + 1n).toString();
      await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset }] }] });
      pending = undefined;
      sinceCommit = 0;
    };

    const batchHandler = this.options.batchHandlers?.get(logicalTopic);
    if (batchHandler) {
      const size = this.options.maxBatchSize ?? 500;
      try {
        for (let i = 0; i < batch.messages.length; i += size) {
          if (this.stopping || !isRunning() || isStale()) break;
          const run = batch.messages.slice(i, i + size);
          try {
            await this.processRun(batchHandler, logicalTopic, topic, partition, run, heartbeat);
          } catch (error) {
            if (error instanceof StopRequested) break;
            throw error;
          }
          const last = run[run.length - 1].offset;
          resolveOffset(last);
          pending = last;
          this.metrics.lag(topic, partition, Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(last) - 1n)));
          await commit();
          await heartbeat();
        }
      } finally {
        await commit();
      }
      return;
    }

    try {
      for (const message of batch.messages) {
        if (this.stopping || !isRunning() || isStale()) break;
        try {
          await this.processRecord(logicalTopic, topic, partition, message, heartbeat);
        } catch (error) {
          if (error instanceof StopRequested) break;
          throw error;
        }
        resolveOffset(message.offset);
        pending = message.offset;
        this.metrics.lag(topic, partition, Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(message.offset) - 1n)));
        if (++sinceCommit >= commitEvery) await commit();
        await heartbeat();
      }
    } finally {
      await commit();
    }
  }

  private async processRecord(
    topic: string,
    physicalTopic: string,
    partition: number,
    message: KafkaMessage,
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    const key = message.key ? message.key.toString('utf8') : null;
    const decoded = decode(topic, message.value, this.registry);
    if (!decoded.ok) {
      await this.deadLetter(physicalTopic, partition, message, this.reasonOf(decoded), 0);
      this.metrics.consumed(topic, decoded.type ?? 'unknown', 'dead_lettered');
      return;
    }
    const envelope = decoded.envelope;
    const handler = this.options.handlers.get(envelope.type);
    if (!handler) {
      this.metrics.consumed(topic, envelope.type, 'skipped');
      return;
    }
    const guardKey = `${this.options.groupId}:${envelope.eventId}`;
    if (this.options.guard && (await this.options.guard.isApplied(guardKey))) {
      this.metrics.consumed(topic, envelope.type, 'duplicate');
      return;
    }

    for (let attempt = 1; ; attempt++) {
      const started = process.hrtime.bigint();
      try {
        const context: RecordContext = { topic, physicalTopic, partition, offset: message.offset, key, headers: message.headers ?? {}, attempt };
        await this.around(envelope, () => handler(envelope, context));
        this.metrics.handlerSeconds(topic, envelope.type, Number(process.hrtime.bigint() - started) / 1e9);
        break;
      } catch (error) {
        this.metrics.handlerSeconds(topic, envelope.type, Number(process.hrtime.bigint() - started) / 1e9);
        const permanent = error instanceof PermanentEventError;
        if (permanent || attempt >= this.retry.maxAttempts) {
          const err = error as Error;
          this.logger.warn('dead-lettering after handler failure', {
            topic,
            partition,
            offset: message.offset,
            eventId: envelope.eventId,
            type: envelope.type,
            attempts: attempt,
            error: err?.message,
          });
          await this.deadLetter(
            physicalTopic,
            partition,
            message,
            {
              code: permanent ? 'REJECTED' : 'HANDLER_FAILED',
              message: String(err?.message ?? error).slice(0, 4000),
              ...(permanent && err instanceof PermanentEventError && err.field ? { field: err.field } : {}),
              ...(permanent && err instanceof PermanentEventError && err.rule ? { rule: err.rule } : {}),
            },
            attempt,
          );
          this.metrics.consumed(topic, envelope.type, 'dead_lettered');
          return;
        }
        const delay = backoffDelay(attempt, this.retry);
        this.logger.debug('handler failed, retrying', { eventId: envelope.eventId, attempt, delay, error: (error as Error)?.message });
        await this.pause(delay, heartbeat);
      }
    }
    // Applied. Recorded outside the handler's retries: a guard that cannot be written throws out of
    // the batch (the record is redelivered), never runs the handler again at once nor dead-letters it.
    if (this.options.guard) await this.options.guard.markApplied(guardKey);
    this.metrics.consumed(topic, envelope.type, 'applied');
  }

  /**
   * One run of records through a batch handler: retried whole with backoff while it throws,
   * then record by record (so one poison record cannot hold back the others), each
   * dead-lettered after its last attempt. Decoding failures are dead-lettered with their
   * reason whatever the handler answers. The run's dead letters leave in one produce.
   */
  private async processRun(
    handler: BatchHandler,
    topic: string,
    physicalTopic: string,
    partition: number,
    messages: KafkaMessage[],
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    const records: BatchRecord[] = messages.map((message) => ({
      value: message.value,
      decoded: decode(topic, message.value, this.registry),
      context: {
        topic,
        physicalTopic,
        partition,
        offset: message.offset,
        key: message.key ? message.key.toString('utf8') : null,
        headers: message.headers ?? {},
        attempt: 1,
      },
    }));
    const control: BatchControl = { heartbeat };
    const letters: OutgoingEvent[] = [];
    const settle = (i: number, outcome: BatchOutcome | { status: 'failed'; reason: DeadLetterReason; attempts: number }) => {
      const record = records[i];
      const type = this.typeOf(record);
      let reason: DeadLetterReason | undefined;
      let attempts = 0;
      if (!record.decoded.ok) reason = this.reasonOf(record.decoded);
      else if (outcome.status === 'rejected') [reason, attempts] = [outcome.reason, record.context.attempt];
      else if (outcome.status === 'failed') [reason, attempts] = [outcome.reason, outcome.attempts];
      if (reason) {
        letters.push(this.deadLetterEvent(physicalTopic, partition, messages[i], reason, attempts));
        this.metrics.deadLettered(physicalTopic, reason.code);
        this.metrics.consumed(topic, type, 'dead_lettered');
      } else {
        this.metrics.consumed(topic, type, outcome.status === 'duplicate' || outcome.status === 'skipped' ? outcome.status : 'applied');
      }
    };

    const started = process.hrtime.bigint();
    const whole = await this.attemptRun(handler, records, control, heartbeat, records.length > 1 ? Math.min(2, this.retry.maxAttempts) : this.retry.maxAttempts);
    if (whole.ok) {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9 / records.length;
      records.forEach((record, i) => {
        if (record.decoded.ok) this.metrics.handlerSeconds(topic, record.decoded.envelope.type, seconds);
        settle(i, whole.outcomes[i]);
      });
    } else {
      // The run kept failing: isolate the failing records, each with its full retry budget.
      // Failures in a row may be poison or an outage (a database down). With no success in
      // the run yet, or when the check fails — the last record that went through, run again
      // (the handler is idempotent), and the service's probe — it is an outage: nothing is
      // dead-lettered, the run is not committed, and kafkajs redelivers it after its restart
      // backoff. Asked after three failures in a row, and of failures that end the run.
      let failedInARow = 0;
      let lastGood: number | undefined;
      const stillWorks = async (): Promise<boolean> => {
        if (lastGood === undefined) return false;
        if (!(await this.attemptRun(handler, [records[lastGood]], control, heartbeat, 1)).ok) return false;
        return this.options.probe ? this.options.probe().then(() => true, () => false) : true;
      };
      const outage = (error: Error | undefined): never => {
        this.logger.error(`batch handler fails for ${failedInARow} record(s) in a row${lastGood === undefined ? ' and none succeeded' : ' and the check after them failed'}: treating it as an outage, not dead-lettering`, {
          topic,
          partition,
          offset: messages[0].offset,
          error: error?.message,
        });
        throw error;
      };
      let lastError: Error | undefined;
      for (let i = 0; i < records.length; i++) {
        const one = records[i].decoded.ok ? await this.attemptRun(handler, [records[i]], control, heartbeat, this.retry.maxAttempts) : undefined;
        if (!one || one.ok) {
          if (one?.ok) lastGood = i;
          failedInARow = 0;
          settle(i, one?.ok ? one.outcomes[0] : { status: 'skipped' });
          continue;
        }
        const error = one.error as Error | undefined;
        const permanent = error instanceof PermanentEventError;
        if (!permanent) {
          lastError = error;
          if (++failedInARow >= OUTAGE_THRESHOLD) {
            if (!(await stillWorks())) outage(error);
            failedInARow = 0; // the handler still works: these are poison
          }
        }
        this.logger.warn('dead-lettering after handler failure', {
          topic,
          partition,
          offset: messages[i].offset,
          attempts: one.attempts,
          error: error?.message,
        });
        settle(i, {
          status: 'failed',
          attempts: one.attempts,
          reason: {
            code: permanent ? 'REJECTED' : 'HANDLER_FAILED',
            message: String(error?.message ?? error).slice(0, 4000),
            ...(permanent && error.field ? { field: error.field } : {}),
            ...(permanent && error.rule ? { rule: error.rule } : {}),
          },
        });
      }
      // Failures that end the run: an outage may have begun. After something went through, the
      // re-run and the probe say; in a run where nothing did (one or two records, a quiet
      // partition), the probe alone — without one, they are taken for poison as before.
      if (failedInARow > 0) {
        const works = lastGood !== undefined ? await stillWorks() : !this.options.probe || (await this.options.probe().then(() => true, () => false));
        if (!works) outage(lastError);
      }
    }
    if (letters.length) await this.options.deadLetters.publishAll(letters);
  }

  /** Runs the handler with retries and backoff; a PermanentEventError ends the attempts at once. */
  private async attemptRun(
    handler: BatchHandler,
    records: BatchRecord[],
    control: BatchControl,
    heartbeat: () => Promise<void>,
    maxAttempts: number,
  ): Promise<{ ok: true; outcomes: BatchOutcome[] } | { ok: false; error: unknown; attempts: number }> {
    for (let attempt = 1; ; attempt++) {
      for (const r of records) r.context.attempt = attempt;
      try {
        const outcomes = await handler(records, control);
        if (!Array.isArray(outcomes) || outcomes.length !== records.length) {
          throw new Error(`batch handler answered ${Array.isArray(outcomes) ? outcomes.length : 'no'} outcomes for ${records.length} records`);
        }
        return { ok: true, outcomes };
      } catch (error) {
        if (error instanceof StopRequested) throw error;
        if (error instanceof PermanentEventError || attempt >= maxAttempts) return { ok: false, error, attempts: attempt };
        const delay = backoffDelay(attempt, this.retry);
        this.logger.debug('batch handler failed, retrying', { records: records.length, attempt, delay, error: (error as Error)?.message });
        await this.pause(delay, heartbeat);
      }
    }
  }

  private typeOf(record: BatchRecord): string {
    return record.decoded.ok ? record.decoded.envelope.type : (record.decoded.type ?? 'unknown');
  }

  /** Sleeps in slices so heartbeats continue and a stop request is honoured promptly. */
  private async pause(ms: number, heartbeat: () => Promise<void>): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (this.stopping) throw new StopRequested();
      await sleep(Math.min(250, until - Date.now()));
      await heartbeat();
    }
    if (this.stopping) throw new StopRequested();
  }

  private reasonOf(failure: DecodeFailure): DeadLetterReason {
    const first = failure.errors[0];
    return {
      code: failure.code,
      message: failure.message.slice(0, 4000),
      ...(first?.field ? { field: first.field } : {}),
      ...(first?.rule ? { rule: first.rule } : {}),
    };
  }

  private deadLetterEvent(
    topic: string,
    partition: number,
    message: KafkaMessage,
    reason: DeadLetterReason,
    attempts: number,
  ): OutgoingEvent {
    const payload: DeadLetter = {
      originalTopic: topic,
      partition,
      offset: message.offset,
      ...(message.key ? { key: message.key.toString('utf8').slice(0, 4096) } : {}),
      ...(message.value?.length ? { rawValue: message.value.toString('base64') } : {}),
      service: this.options.service,
      reason,
      attempts,
      failedAt: new Date().toISOString(),
    };
    // Deterministic id: the same record dead-lettered twice (a crash before commit) is recognisable.
    const envelope = newEnvelope('DeadLetter', payload, {
      source: this.options.service,
      occurredAt: payload.failedAt,
      // Deterministic (a redelivered dead letter is the same event) and within the envelope's 128 characters whatever the group and topic names.
      eventId: `deadletter:${createHash('sha256').update(`${this.options.groupId}\u0000${topic}\u0000${partition}\u0000${message.offset}`).digest('hex').slice(0, 40)}`,
    });
    return { topic: this.deadLetterTopic, envelope, key: message.key ? message.key.toString('utf8') : null };
  }

  private async deadLetter(
    topic: string,
    partition: number,
    message: KafkaMessage,
    reason: DeadLetterReason,
    attempts: number,
  ): Promise<void> {
    await this.options.deadLetters.publishAll([this.deadLetterEvent(topic, partition, message, reason, attempts)]);
    this.metrics.deadLettered(topic, reason.code);
  }
}

export type { DeadLetterCode };
