import { ValidationError } from 'class-validator';

/** One failed rule, as answered over HTTP (`errors[]`) and carried in dead letters. */
export interface FieldError {
  /** Dotted path, e.g. `payload.consents.marketing.sms`. */
  field: string;
  /** The rule that failed, e.g. `isPrcResidentId`, `isIn`, `whitelistValidation`. */
  rule: string;
  message: string;
}

/** Flattens class-validator's tree into field errors, one per failed constraint. */
export function toFieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    for (const [rule, message] of Object.entries(error.constraints ?? {})) {
      out.push({ field, rule, message: prefix ? `${prefix}.${message}` : message });
    }
    if (error.children?.length) out.push(...toFieldErrors(error.children, field));
  }
  return out;
}
