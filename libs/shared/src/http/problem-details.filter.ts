import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FieldError } from '@meridian/events';
import { randomUUID } from 'node:crypto';
import { Observable, throwError } from 'rxjs';
import { CORRELATION_HEADER } from '../logging/correlation.middleware';
import { currentCorrelationId } from '../logging/logger';

/** RFC 9457 problem details; `errors` lists each failed field and rule. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** The request's x-correlation-id: what a caller quotes to support, what finds the log lines. */
  correlationId?: string;
  errors?: FieldError[];
  /** RFC 9457 extension members a 4xx adds (a 409's allowed transitions): from the exception's `extensions`. */
  [extension: string]: unknown;
}

/** An HTTP 4xx naming the fields and rules that failed. */
export class FieldValidationException extends HttpException {
  constructor(
    readonly errors: FieldError[],
    status: number = HttpStatus.BAD_REQUEST,
  ) {
    super({ message: errors.map((e) => e.message).join('; '), errors }, status);
  }
}

const TYPE_BASE = 'https://meridian.dev/problems/';

interface HttpResponse {
  status(code: number): { type(t: string): { send(body: string): void } };
  getHeader(name: string): unknown;
  setHeader(name: string, value: string): void;
}

/** `bad gateway` for 502: names the status class, says nothing of the cause. */
function titleOf(status: number): string {
  return (HttpStatus[status] ?? 'error').toString().toLowerCase().replace(/_/g, ' ');
}

function detailOf(body: string | object, exception: HttpException): string {
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : String(message ?? exception.message);
}

type HealthReport = { status: string } & Partial<Record<'info' | 'error' | 'details', Record<string, { status: string }>>>;

/** A health report with each dependency's status and nothing else. */
function statusesOnly(report: HealthReport): HealthReport {
  const strip = (part?: Record<string, { status: string }>) => part && Object.fromEntries(Object.entries(part).map(([name, { status }]) => [name, { status }]));
  return { status: report.status, info: strip(report.info), error: strip(report.error), details: strip(report.details) };
}

/**
 * The id the correlation middleware gave this request (and echoed in its header); an
 * error raised before the middleware ran gets one here, so every answer can be traced.
 */
function correlationIdOf(response: HttpResponse): string {
  const echoed = response.getHeader(CORRELATION_HEADER);
  const correlationId = currentCorrelationId() ?? (typeof echoed === 'string' ? echoed : randomUUID());
  response.setHeader(CORRELATION_HEADER, correlationId);
  return correlationId;
}

/**
 * Every HTTP error leaves as application/problem+json carrying the request's correlation
 * id. A 4xx names what the caller got wrong (field and rule). A 5xx says only that the
 * server failed: its message may hold a connection string, an account number or a stack,
 * so it goes to the error log under the same correlation id, never to the client.
 * Errors of event handlers pass through untouched, so the consumer runner sees the real
 * error (its message goes into the dead letter; PermanentEventError skips retries).
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    if (host.getType() !== 'http') return throwError(() => exception);
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<{ url?: string; originalUrl?: string; method?: string }>();
    const response = ctx.getResponse<HttpResponse>();

    const raw = exception instanceof HttpException ? exception.getResponse() : undefined;
    if (typeof raw === 'object' && raw !== null && 'details' in raw && 'status' in raw) {
      // A health report (terminus): its body is the answer, whatever the status code — the
      // statuses only: a dependency's error message names its address (the health-check
      // logger has it, for operators).
      response.status((exception as HttpException).getStatus()).type('application/json').send(JSON.stringify(statusesOnly(raw as HealthReport)));
      return;
    }
    const status = exception instanceof HttpException ? exception.getStatus() : HttpStatus.INTERNAL_SERVER_ERROR;
    const title = titleOf(status);
    const instance = request.originalUrl ?? request.url;
    const correlationId = correlationIdOf(response);
    let problem: ProblemDetails;
    if (status >= 500) {
      const cause = exception instanceof Error ? { err: exception } : { detail: String(exception) };
      // The path only: a query string may carry the idNumber or phone of a look-up.
      const route = `${request.method ?? ''} ${(instance ?? '').split('?')[0]}`;
      this.logger.error({ msg: `${route} failed`, status, correlationId, ...cause });
      problem = { type: TYPE_BASE + title.replace(/ /g, '-'), title, status, correlationId };
    } else {
      const body = (exception as HttpException).getResponse();
      const errors = typeof body === 'object' ? (body as { errors?: FieldError[] }).errors : undefined;
      const extensions = typeof body === 'object' ? (body as { extensions?: Record<string, unknown> }).extensions : undefined;
      problem = {
        ...extensions,
        type: TYPE_BASE + title.replace(/ /g, '-'),
        title,
        status,
        detail: detailOf(body, exception as HttpException),
        instance,
        correlationId,
        ...(errors ? { errors } : {}),
      };
    }
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}
