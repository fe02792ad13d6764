import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FieldError } from '@meridian/events';
import { Observable, throwError } from 'rxjs';

/** RFC 9457 problem details; `errors` lists each failed field and rule. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
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

/**
 * Every HTTP error leaves as application/problem+json; 5xx details are logged, not sent.
 * Errors of event handlers pass through untouched, so the consumer runner sees the real
 * error (its message goes into the dead letter; PermanentEventError skips retries).
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    if (host.getType() !== 'http') return throwError(() => exception);
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<{ url?: string; originalUrl?: string }>();
    const response = ctx.getResponse<{
      status(code: number): { type(t: string): { send(body: string): void } };
    }>();

    let problem: ProblemDetails;
    const raw = exception instanceof HttpException ? exception.getResponse() : undefined;
    if (typeof raw === 'object' && raw !== null && 'details' in raw && 'status' in raw) {
      // A health report (terminus): its body is the answer, whatever the status code.
      response.status((exception as HttpException).getStatus()).type('application/json').send(JSON.stringify(raw));
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const detail =
        typeof body === 'string'
          ? body
          : Array.isArray((body as { message?: unknown }).message)
            ? ((body as { message: string[] }).message).join('; ')
            : String((body as { message?: unknown }).message ?? exception.message);
      const errors = typeof body === 'object' ? (body as { errors?: FieldError[] }).errors : undefined;
      const title = (HttpStatus[status] ?? 'Error').toString().toLowerCase().replace(/_/g, '-');
      problem = {
        type: TYPE_BASE + title,
        title: title.replace(/-/g, ' '),
        status,
        detail,
        instance: request.originalUrl ?? request.url,
        ...(errors ? { errors } : {}),
      };
    } else {
      this.logger.error(exception instanceof Error ? exception : String(exception));
      problem = {
        type: TYPE_BASE + 'internal-server-error',
        title: 'internal server error',
        status: 500,
        instance: request.originalUrl ?? request.url,
      };
    }
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}
