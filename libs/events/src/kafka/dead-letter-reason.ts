import type { FieldError } from '../validation/validation-error';
import type { DeadLetterCode, DeadLetterReason } from '../topics/crm-deadletter/dead-letter.event';
import { PermanentEventError } from './ports';

/**
 * A rejection as decoding, validation or a use case states it: a code, a message, and the
 * failed field and rule — given, or the first of the failed rules.
 */
export interface Rejection {
  code: DeadLetterCode;
  message: string;
  field?: string;
  rule?: string;
  errors?: FieldError[];
}

const MAX_MESSAGE = 4000;

function isRejection(cause: unknown): cause is Rejection {
  return typeof cause === 'object' && cause !== null && typeof (cause as Rejection).code === 'string' && typeof (cause as Rejection).message === 'string';
}

/**
 * The one way a dead letter's `reason` is built (CONTRACTS.md: crm.deadletter.v1): from a
 * decoding or validation failure (its code and first failed field and rule), a
 * PermanentEventError (REJECTED, with the field and rule it names), or any other handler
 * failure (HANDLER_FAILED). The message is bounded as the contract allows.
 */
export function deadLetterReason(cause: unknown): DeadLetterReason {
  if (cause instanceof PermanentEventError) {
    return {
      code: 'REJECTED',
      message: cause.message.slice(0, MAX_MESSAGE),
      ...(cause.field ? { field: cause.field } : {}),
      ...(cause.rule ? { rule: cause.rule } : {}),
    };
  }
  if (isRejection(cause)) {
    const field = cause.field ?? cause.errors?.[0]?.field;
    const rule = cause.rule ?? cause.errors?.[0]?.rule;
    return { code: cause.code, message: cause.message.slice(0, MAX_MESSAGE), ...(field ? { field } : {}), ...(rule ? { rule } : {}) };
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  return { code: 'HANDLER_FAILED', message: message.slice(0, MAX_MESSAGE) };
}
