import type { KafkaMessage } from 'kafkajs';
import { decode } from '../envelope/codec';
import type { DeadLetterReason } from '../topics/crm-deadletter/dead-letter.event';
import type { TopicRegistry } from '../topics/topic-registry';
import type { BatchControl, BatchOutcome, BatchRecord, RunHandler } from './consumer-types';
import { deadLetterReason } from './dead-letter-reason';
import { DeadLetterSource, deadLetterRecord } from './dead-letter-record';
import type { EventPublisher, OutgoingEvent } from './event-publisher';
import { ConsumerMetrics, EventLogger, PermanentEventError } from './ports';
import type { RetryPolicy } from './retry-policy';
import { backoffDelay } from './retry-policy';

/** Thrown by `pause` when the runner is stopping or pausing: the run is abandoned uncommitted. */
export class StopRequested extends Error {}

/** Thrown when failures are an outage (not poison): nothing is dead-lettered, the run is redelivered. */
export class OutageDetected extends Error {
  constructor(cause: unknown) {
    super(`dependencies unavailable: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

export interface RunProcessorOptions {
  service: string;
  groupId: string;
  deadLetterTopic: string;
  registry: TopicRegistry;
  retry: RetryPolicy;
  deadLetters: EventPublisher;
  logger: EventLogger;
  metrics: ConsumerMetrics;
  /** Resolves when the service's own dependencies (database, cache) answer. */
  probe: () => Promise<void>;
  /** Sleeps between attempts, heartbeating; throws StopRequested when the runner stops or pauses. */
  pause: (ms: number, heartbeat: () => Promise<void>) => Promise<void>;
  now?: () => Date;
}

/** One partition's run of records, as the runner read them. */
export interface Run {
  /** Logical topic (TOPICS value). */
  topic: string;
  physicalTopic: string;
  partition: number;
  messages: KafkaMessage[];
  heartbeat: () => Promise<void>;
}

type Attempt = { ok: true; outcomes: BatchOutcome[] } | { ok: false; error: unknown; attempts: number };
type Settled = BatchOutcome | { status: 'failed'; reason: DeadLetterReason; attempts: number };

/**
 * The one pipeline every record goes through, whatever the handler style (ADR 0003):
 * decode → handler, retried whole with backoff → record by record with the full retry budget
 * → dead letter with the reason. A failure is told apart from an outage before anything is
 * dead-lettered: the runner re-runs the last record that went through (when there is one)
 * and asks the service's probe. Healthy dependencies make the failure poison: after its
 * last attempt it is dead-lettered and the partition moves on. Otherwise it is an outage: OutageDetected is thrown, nothing is
 * dead-lettered or committed, and kafkajs redelivers the run after its restart backoff.
 */
export class RunProcessor {
  constructor(private readonly options: RunProcessorOptions) {}

  async process(handler: RunHandler, run: Run): Promise<void> {
    const records = run.messages.map((message) => this.toRecord(run, message));
    const control: BatchControl = { heartbeat: run.heartbeat };
    const settled: Settled[] = new Array(records.length);
    // A run of one goes straight to its full retry budget; a longer run is tried whole twice first.
    const whole = records.length > 1 ? await this.attempt(handler, records, control, Math.min(2, this.options.retry.maxAttempts)) : undefined;
    if (whole?.ok) whole.outcomes.forEach((outcome, i) => (settled[i] = outcome));
    else await this.isolate(handler, records, control, settled, run);
    await this.finish(handler, run, records, settled);
  }

  /**
   * Each record alone with its full retry budget, so one poison record cannot hold back the
   * others. A record that fails all but its last attempt is held until the dependency check:
   * when it fails, the run is an outage; when it passes, the record has its last attempt (an
   * outage that ended during its retries lets it through; poison fails again) and only then
   * is dead-lettered — before the next record is tried, so per-key order holds.
   */
  private async isolate(handler: RunHandler, records: BatchRecord[], control: BatchControl, settled: Settled[], run: Run): Promise<void> {
    const { maxAttempts } = this.options.retry;
    const lastAttemptAfterCheck = maxAttempts > 1;
    let lastGood: BatchRecord | undefined;
    for (let i = 0; i < records.length; i++) {
      const record = records[i];
      if (!record.decoded.ok) {
        settled[i] = { status: 'skipped' }; // dead-lettered with its decoding reason by finish()
        continue;
      }
      let result = await this.attempt(handler, [record], control, lastAttemptAfterCheck ? maxAttempts - 1 : maxAttempts);
      if (!result.ok && !(result.error instanceof PermanentEventError)) {
        if (!(await this.dependenciesWork(handler, lastGood, control))) {
          this.options.logger.error('a record failed and the dependency check failed: an outage, not poison; nothing is dead-lettered, the run is redelivered', {
            topic: run.topic,
            partition: run.partition,
            offset: record.context.offset,
            error: (result.error as Error)?.message,
          });
          throw new OutageDetected(result.error);
        }
        if (lastAttemptAfterCheck) result = await this.attempt(handler, [record], control, 1, result.attempts);
      }
      if (result.ok) {
        lastGood = record;
        settled[i] = result.outcomes[0];
      } else {
        this.deadLetterLater(settled, i, run, result.error, result.attempts);
      }
    }
  }

  private deadLetterLater(settled: Settled[], i: number, run: Run, error: unknown, attempts: number): void {
    this.options.logger.warn('dead-lettering after handler failure', {
      topic: run.topic,
      partition: run.partition,
      offset: run.messages[i].offset,
      attempts,
      error: (error as Error)?.message,
    });
    settled[i] = { status: 'failed', reason: deadLetterReason(error), attempts };
  }

  /** The last record that went through runs again (handlers are idempotent), and the probe answers. */
  private async dependenciesWork(handler: RunHandler, lastGood: BatchRecord | undefined, control: BatchControl): Promise<boolean> {
    if (lastGood && !(await this.attempt(handler, [lastGood], control, 1)).ok) return false;
    return this.options.probe().then(
      () => true,
      () => false,
    );
  }

  /** Dead letters out in one produce, then what follows applied records, then the counts. */
  private async finish(handler: RunHandler, run: Run, records: BatchRecord[], settled: Settled[]): Promise<void> {
    const letters: OutgoingEvent[] = [];
    const applied: BatchRecord[] = [];
    const counts: Array<() => void> = [];
    const { metrics } = this.options;
    const source: DeadLetterSource = {
      service: this.options.service,
      groupId: this.options.groupId,
      deadLetterTopic: this.options.deadLetterTopic,
      topic: run.physicalTopic,
      partition: run.partition,
    };
    const now = this.options.now?.() ?? new Date();
    records.forEach((record, i) => {
      const outcome = settled[i];
      const type = this.typeLabel(record);
      let reason: DeadLetterReason | undefined;
      let attempts = 0;
      if (!record.decoded.ok) reason = deadLetterReason(record.decoded);
      else if (outcome.status === 'rejected') [reason, attempts] = [deadLetterReason(outcome.reason), record.context.attempt];
      else if (outcome.status === 'failed') [reason, attempts] = [outcome.reason, outcome.attempts];
      if (reason) {
        const code = reason.code;
        letters.push(deadLetterRecord(source, run.messages[i], reason, attempts, now));
        counts.push(() => metrics.deadLettered(run.physicalTopic, code), () => metrics.consumed(run.topic, type, 'dead_lettered'));
        return;
      }
      if (outcome.status === 'applied') applied.push(record);
      const counted = outcome.status === 'duplicate' || outcome.status === 'skipped' ? outcome.status : 'applied';
      counts.push(() => metrics.consumed(run.topic, type, counted));
    });
    if (letters.length) await this.options.deadLetters.publishAll(letters);
    if (applied.length && handler.afterApplied) await handler.afterApplied(applied);
    // Counted once the run is settled for good: a run redelivered after a failure here is not counted twice.
    for (const count of counts) count();
  }

  /**
   * Runs the handler with retries and backoff, attempts `made + 1` to `made + count` (what
   * handlers see as `context.attempt`); a PermanentEventError ends the attempts at once.
   */
  private async attempt(handler: RunHandler, records: BatchRecord[], control: BatchControl, count: number, made = 0): Promise<Attempt> {
    const maxAttempts = made + count;
    for (let attempt = made + 1; ; attempt++) {
      for (const r of records) r.context.attempt = attempt;
      const started = process.hrtime.bigint();
      try {
        const outcomes = await handler.handle(records, control).finally(() => this.timeAttempt(records, started));
        if (!Array.isArray(outcomes) || outcomes.length !== records.length) {
          throw new Error(`batch handler answered ${Array.isArray(outcomes) ? outcomes.length : 'no'} outcomes for ${records.length} records`);
        }
        return { ok: true, outcomes };
      } catch (error) {
        if (error instanceof StopRequested) throw error;
        if (error instanceof PermanentEventError || attempt >= maxAttempts) return { ok: false, error, attempts: attempt };
        const delay = backoffDelay(attempt, this.options.retry);
        this.options.logger.debug('handler failed, retrying', { records: records.length, attempt, delay, error: (error as Error)?.message });
        await this.options.pause(delay, control.heartbeat);
      }
    }
  }

  /** Handler time per attempt (the metric's definition), shared by the run's decoded records. */
  private timeAttempt(records: BatchRecord[], started: bigint): void {
    const decoded = records.filter((r) => r.decoded.ok);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9 / Math.max(1, decoded.length);
    for (const record of decoded) this.options.metrics.handlerSeconds(record.context.topic, this.typeLabel(record), seconds);
  }

  private toRecord(run: Run, message: KafkaMessage): BatchRecord {
    return {
      value: message.value,
      decoded: decode(run.topic, message.value, this.options.registry),
      context: {
        topic: run.topic,
        physicalTopic: run.physicalTopic,
        partition: run.partition,
        offset: message.offset,
        key: message.key ? message.key.toString('utf8') : null,
        headers: message.headers ?? {},
        attempt: 1,
      },
    };
  }

  /**
   * The event type as a metric label: only types registered on the topic, else `unknown` —
   * a type read from an undecodable record is the sender's string, and unbounded label
   * values are unbounded Prometheus series.
   */
  private typeLabel(record: BatchRecord): string {
    const type = record.decoded.ok ? record.decoded.envelope.type : record.decoded.type;
    return type !== undefined && Object.hasOwn(this.options.registry[record.context.topic]?.types ?? {}, type) ? type : 'unknown';
  }
}
