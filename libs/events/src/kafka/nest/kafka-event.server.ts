import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { ConsumerRunner, ConsumerRunnerOptions, EventHandler } from '../consumer-runner';
import { KafkaEventContext } from './kafka-event.context';

export type KafkaEventServerOptions = Omit<ConsumerRunnerOptions, 'handlers'>;

/**
 * A NestJS transport strategy over our ConsumerRunner: handlers are declared with
 * `@EventPattern('<EventType>')` and receive the decoded, validated envelope (`@Payload()`)
 * and a KafkaEventContext (`@Ctx()`). Decoding, validation, idempotency, retries,
 * dead-lettering and commits stay in the runner, so handlers stay thin.
 */
export class KafkaEventServer extends Server implements CustomTransportStrategy {
  private runner?: ConsumerRunner;
  private starting?: Promise<void>;

  constructor(private readonly options: KafkaEventServerOptions) {
    super();
  }

  /**
   * Registers the handlers and joins the group in the background: the HTTP side (and
   * /health) is up even while Kafka is not; the runner keeps retrying.
   */
  listen(callback: (error?: unknown) => void): void {
    const handlers = new Map<string, EventHandler>();
    for (const [pattern, handler] of this.getHandlers()) {
      if (!handler.isEventHandler) continue;
      handlers.set(pattern, this.adapt(handler));
    }
    this.runner = new ConsumerRunner({ ...this.options, handlers });
    this.starting = this.runner.startWithRetry();
    callback();
  }

  /** Resolves once the consumer has joined its group (tests, tools). */
  async ready(): Promise<void> {
    await this.starting;
  }

  private adapt(handler: MessageHandler): EventHandler {
    return async (envelope, record) => {
      const result = await handler(envelope, new KafkaEventContext(record));
      // Nest wraps handlers (pipes, interceptors, exception filters) in observables: wait for them.
      await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
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
