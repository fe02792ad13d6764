/** Framework-free ports of the Kafka runtime, so Nest, tests and tools can plug in their own. */

export interface EventLogger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

const ignore = (): void => undefined;

export const silentLogger: EventLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

/**
 * Remembers which eventIds a consumer group has applied. The runner consults it before a
 * handler and records after it; handlers that must be exactly-once under a crash between
 * the two also record the eventId in the same write as their effect (STYLE.md rule 12).
 */
export interface IdempotencyGuard {
  isApplied(key: string): Promise<boolean>;
  markApplied(key: string): Promise<void>;
}

export type ConsumeOutcome = 'applied' | 'duplicate' | 'skipped' | 'dead_lettered';

export interface ConsumerMetrics {
  consumed(topic: string, type: string, outcome: ConsumeOutcome): void;
  handlerSeconds(topic: string, type: string, seconds: number): void;
  deadLettered(topic: string, code: string): void;
  lag(topic: string, partition: number, lag: number): void;
}

export const noMetrics: ConsumerMetrics = { consumed: ignore, handlerSeconds: ignore, deadLettered: ignore, lag: ignore };

/** Thrown by a handler for a failure no retry can fix: dead-lettered at once. */
export class PermanentEventError extends Error {
  constructor(
    message: string,
    readonly field?: string,
    readonly rule?: string,
  ) {
    super(message);
    this.name = 'PermanentEventError';
  }
}
