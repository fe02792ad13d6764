import { Injectable, Logger, LoggerService } from '@nestjs/common';

const REPEAT_AFTER_MS = 60_000;

/**
 * Terminus' logger (TerminusModule.forRoot `logger`). Terminus logs every failed readiness
 * check at error ("Health Check has failed!"), but a 503 from /health is an answer, not a
 * fault: while a service starts, MongoDB is still connecting, and the caller (the kubelet,
 * the demo) decides what a not-ready pod means. So a failed check is logged at warn, naming
 * what readiness waits for, once when that changes (and again each minute it lasts), and at
 * debug otherwise. Real outages are reported as errors by the clients that meet them.
 */
@Injectable()
export class HealthCheckLogger implements LoggerService {
  private readonly logger = new Logger('HealthCheck');
  private lastWaitingFor?: string;
  private lastWarnedAt = 0;

  error(message: unknown): void {
    const waitingFor = failingChecks(String(message));
    const repeat = waitingFor === this.lastWaitingFor && Date.now() - this.lastWarnedAt < REPEAT_AFTER_MS;
    if (repeat) return this.logger.debug(String(message));
    this.lastWaitingFor = waitingFor;
    this.lastWarnedAt = Date.now();
    this.logger.warn(`not ready: waiting for ${waitingFor}`);
  }

  warn(message: unknown): void {
    this.logger.warn(String(message));
  }

  log(message: unknown): void {
    this.logger.log(String(message));
  }
}

/**
 * "mongodb (connection timed out), kafka" from Terminus' JSON error message
 * (`Health Check has failed! {"mongodb":{"status":"down","message":…},…}`).
 */
export function failingChecks(message: string): string {
  const json = message.indexOf('{');
  try {
    const details = JSON.parse(message.slice(json)) as Record<string, { status?: string; message?: string }>;
    const failing = Object.entries(details)
      .filter(([, d]) => d?.status !== 'up')
      .map(([key, d]) => (d?.message ? `${key} (${d.message})` : key));
    if (failing.length) return failing.join(', ');
  } catch {
    // not the JSON style: say what Terminus said
  }
  return message;
}
