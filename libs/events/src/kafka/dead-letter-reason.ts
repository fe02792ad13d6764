import type { FieldError } from '../validation/validation-error';
import { DEAD_LETTER_CODES, DeadLetterCode, DeadLetterReason } from '../topics/crm-deadletter/dead-letter.event';
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

/** The bounds of CONTRACTS.md's DeadLetterReason: a reason past them could not be published. */
const MAX = { message: 4000, field: 256, rule: 128 };

/** A stated rejection — not an Error that happens to carry a `code` (Node's ERR_*, ECONNREFUSED…). */
function isRejection(cause: unknown): cause is Rejection {
  if (typeof cause !== 'object' || cause === null || cause instanceof Error) return false;
  const { code, message } = cause as Partial<Rejection>;
  return typeof message === 'string' && (DEAD_LETTER_CODES as readonly unknown[]).includes(code);
}

function reason(code: DeadLetterCode, message: string, field?: string, rule?: string): DeadLetterReason {
  return {
    code,
    message: message.slice(0, MAX.message),
    ...(field ? { field: field.slice(0, MAX.field) } : {}),
    ...(rule ? { rule: rule.slice(0, MAX.rule) } : {}),
  };
}

/**
 * The one way a dead letter's `reason` is built (CONTRACTS.md: crm.deadletter.v1): from a
 * decoding or validation failure or a use case's rejection (its code and its field and
 * rule, or the first failed ones), a PermanentEventError (REJECTED, with the field and rule
 * it names), or any other handler failure (HANDLER_FAILED). Always within the contract's
 * bounds, so the dead letter itself can always be published.
 */
export function deadLetterReason(cause: unknown): DeadLetterReason {
  if (cause instanceof PermanentEventError) return reason('REJECTED', cause.message, cause.field, cause.rule);
  if (isRejection(cause)) return reason(cause.code, cause.message, cause.field ?? cause.errors?.[0]?.field, cause.rule ?? cause.errors?.[0]?.rule);
  return reason('HANDLER_FAILED', cause instanceof Error ? cause.message : String(cause));
}
