import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { LoggerService } from '@nestjs/common';
import type { EventLogger } from '@meridian/events/kafka';
import pino, { DestinationStream, Logger } from 'pino';
import { redactSensitive } from './redact-sensitive.util';

interface LogContext {
  correlationId: string;
}

/** Carries the correlationId through async work (an HTTP request, a consumed event). */
export const logContext = new AsyncLocalStorage<LogContext>();

export function withCorrelation<T>(correlationId: string | undefined, fn: () => T): T {
  return logContext.run({ correlationId: correlationId ?? randomUUID() }, fn);
}

export function currentCorrelationId(): string | undefined {
  return logContext.getStore()?.correlationId;
}

/** Structured JSON logs; every line carries the service name and, when known, the correlationId; sensitive fields never. */
export function createLogger(service: string, level = 'info', destination?: DestinationStream): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Redaction walks every logged object (any depth, arrays included); fixed redact paths missed nested payloads.
    formatters: { level: (label) => ({ level: label }), log: (object) => redactSensitive(object) },
    mixin: () => {
      const store = logContext.getStore();
      return store ? { correlationId: store.correlationId } : {};
    },
  }, destination);
}

/** Nest's LoggerService over pino, so framework and application logs share one format. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, params: unknown[]) {
    const context = typeof params[params.length - 1] === 'string' ? (params.pop() as string) : undefined;
    const extra = params.length && level === 'error' && typeof params[0] === 'string' ? { stack: params[0] } : {};
    if (message instanceof Error) this.logger[level]({ err: message, context, ...extra }, message.message);
    else if (typeof message === 'object') this.logger[level]({ ...(message as object), context, ...extra });
    else this.logger[level]({ context, ...extra }, String(message));
  }

  log(message: unknown, ...params: unknown[]) {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]) {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]) {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]) {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]) {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]) {
    this.write('fatal', message, params);
  }
}

/** The Kafka runtime's logger port over pino. */
export function eventLoggerFrom(logger: Logger): EventLogger {
  return {
    debug: (message, context) => logger.debug(context ?? {}, message),
    info: (message, context) => logger.info(context ?? {}, message),
    warn: (message, context) => logger.warn(context ?? {}, message),
    error: (message, context) => logger.error(context ?? {}, message),
  };
}
