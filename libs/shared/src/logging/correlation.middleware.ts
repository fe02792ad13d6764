import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { logContext } from './logger';

export const CORRELATION_HEADER = 'x-correlation-id';
const VALID_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Takes the caller's x-correlation-id (or makes one), echoes it, and scopes the request's logs to it. */
export function correlationMiddleware(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const given = req.headers[CORRELATION_HEADER];
  const correlationId = typeof given === 'string' && VALID_ID.test(given) ? given : randomUUID();
  res.setHeader(CORRELATION_HEADER, correlationId);
  logContext.run({ correlationId }, next);
}
