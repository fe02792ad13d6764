import { CustomTransportStrategy, EventPattern, MessageHandler, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { BatchControl, BatchHandler, BatchOutcome, BatchRecord, ConsumerRunner, ConsumerRunnerOptions, EventHandler } from '../consumer-runner';
import { KafkaEventContext } from './kafka-event.context';

export type KafkaEventServerOptions = Omit<ConsumerRunnerOptions, 'handlers' | 'batchHandlers' | 'batchTypes'>;

const BATCH_PATTERN_PREFIX = 'batch:';

/**
 * Declares a batch handler for whole topics: `@Payload()` is a `BatchRecord[]` (one
 * partition's records in offset order, decoded or with the reason they are not), `@Ctx()`
 * a `BatchControl`; the method answers one `BatchOutcome` per record. For topics where
 * throughput matters (one database round trip and one produce per run, not per record).
 * With `types`, records whose `type` header names another event type are passed over
 * undecoded: the handler sees only what it may take (ofType still sorts the rest out).
 */
export function BatchEventPattern(topics: string | string[], options: { types?: readonly string[] } = {}): MethodDecorator {
  return EventPattern(([] as string[]).concat(topics).map((t) => BATCH_PATTERN_PREFIX + t), { batch: true, ...(options.types && { types: options.types }) });
}

/**
 * Declares a per-type handler: `@Payload()` is the decoded, validated `EventEnvelope`, `@Ctx()`
 * a KafkaEventContext. Nest 12 types `@EventPattern('<Type>')` so that a handler's other
 * parameters must accept `unknown` (a typed `@Ctx() context: KafkaEventContext` does not
 * compile); this is the same decorator, typed for a plain event-type pattern.
 */
export function EventTypePattern(type: string): MethodDecorator {
  return EventPattern<string>(type);
}

/** `@Ctx()` of a batch handler. */
export class KafkaBatchContext {
  constructor(readonly control: BatchControl) {}
}

/**
 * A NestJS transport strategy over our ConsumerRunner: handlers are declared with
 * `@EventPattern('<EventType>')` and receive the decoded, validated envelope (`@Payload()`)
 * and a KafkaEventContext (`@Ctx()`). Decoding, validation, idempotency, retries,
 * dead-lettering and commits stay in the runner, so handlers stay thin.
 */
export class KafkaEventServer extends Server implements CustomTransportStrategy {
  private runner?: ConsumerRunner;
  private starting?: Promise<void>;
  private pausedBeforeListen = false;

  constructor(private readonly options: KafkaEventServerOptions) {
    super();
  }

  /**
   * Registers the handlers and joins the group in the background: the HTTP side (and
   * /health) is up even while Kafka is not; the runner keeps retrying.
   */
  listen(callback: (error?: unknown) => void): void {
    const handlers = new Map<string, EventHandler>();
    const batchHandlers = new Map<string, BatchHandler>();
    const batchTypes = new Map<string, ReadonlySet<string>>();
    for (const [pattern, handler] of this.getHandlers()) {
      if (!handler.isEventHandler) continue;
      if (handler.extras?.batch && pattern.startsWith(BATCH_PATTERN_PREFIX)) {
        const topic = pattern.slice(BATCH_PATTERN_PREFIX.length);
        if (batchHandlers.has(topic)) throw new Error(`two batch handlers for ${topic}: one a topic`);
        batchHandlers.set(topic, this.adaptBatch(handler));
        if (Array.isArray(handler.extras.types)) batchTypes.set(topic, new Set(handler.extras.types as string[]));
      } else {
        handlers.set(pattern, this.adapt(handler));
      }
    }
    this.runner = new ConsumerRunner({ ...this.options, handlers, batchHandlers, batchTypes });
    if (this.pausedBeforeListen) void this.runner.pause();
    this.starting = this.runner.startWithRetry();
    callback();
  }

  /** Resolves once the consumer has joined its group (tests, tools). */
  async ready(): Promise<void> {
    await this.starting;
  }

  /** ConsumerRunner.pause(): held still (before listen(): it starts paused); resolves once no run is under way. */
  async pause(): Promise<void> {
    this.pausedBeforeListen = true;
    await this.runner?.pause();
  }

  resume(): void {
    this.pausedBeforeListen = false;
    this.runner?.resume();
  }

  private adapt(handler: MessageHandler): EventHandler {
    return async (envelope, record) => {
      const result = await handler(envelope, new KafkaEventContext(record));
      // Nest wraps handlers (pipes, interceptors, exception filters) in observables: wait for them.
      await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
    };
  }

  private adaptBatch(handler: MessageHandler): BatchHandler {
    return async (records: BatchRecord[], control: BatchControl) => {
      const result = await handler(records, new KafkaBatchContext(control));
      return (await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined })) as BatchOutcome[];
    };
  }

  async close(): Promise<void> {
    await this.runner?.stop();
  }

  on(): never {
    throw new Error('KafkaEventServer does not emit transport events');
  }

  unwrap<T>(): T {
    return this.runner as T;
  }
}
