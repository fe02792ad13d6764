export const REDACTED = '[redacted]';
export const TRUNCATED = '[truncated]';

/**
 * Keys whose values never reach a log line, at any depth (DOMAIN.md: privacy — national
 * ID, phone, name, email, birth date, balances and amounts; and whatever lets a reader act
 * as the caller or read sealed data: tokens, secrets, keys). Keys are compared lower-cased
 * without `_`, `-` and spaces, so `id_number`, `idNumber` and `ID-Number` are one key;
 * Chinese field names of the source systems count too.
 */
const SENSITIVE_EXACT = new Set(['name', 'fullname', 'customername', 'dob', 'dateofbirth', 'birthdate', 'idno', 'nationalid', 'cookie', 'setcookie', '姓名', '客户姓名']);
const SENSITIVE_PART = /idnumber|phone|mobile|email|authorization|password|passwd|secret|token|apikey|masterkey|indexkey|balance|amount|^aum|手机|电话|身份证|证件号|邮箱|余额|金额/;

export function isSensitiveKey(key: string): boolean {
  const normalised = key.toLowerCase().replace(/[\s_-]/g, '');
  return SENSITIVE_EXACT.has(normalised) || SENSITIVE_PART.test(normalised);
}

export interface RedactionLimits {
  /** Nesting below this depth is replaced, not walked: a log line is not a dump. */
  maxDepth: number;
  /** Object entries and array items walked per log line; the rest is cut. */
  maxEntries: number;
}

const DEFAULT_LIMITS: RedactionLimits = { maxDepth: 12, maxEntries: 2_000 };

function isOpaque(value: object): boolean {
  return value instanceof Date || Buffer.isBuffer(value) || ArrayBuffer.isView(value) || value instanceof ArrayBuffer;
}

/** message, stack and cause of an error are not own enumerable fields; walk them like the rest. */
function errorFields(error: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = { message: error.message, stack: error.stack, ...(error as unknown as Record<string, unknown>) };
  if (error.cause !== undefined) fields.cause = error.cause;
  return fields;
}

/** What JSON.stringify would print for a value with toJSON (ObjectId, a mongoose document), or the value itself. */
function jsonForm(node: object): unknown {
  const toJson = (node as { toJSON?: unknown }).toJSON;
  if (typeof toJson !== 'function' || node instanceof Error) return node;
  try {
    return toJson.call(node);
  } catch {
    return '[unserializable]';
  }
}

/**
 * A copy of `value` in which every sensitive key's value is `[redacted]`, however deep
 * and inside arrays, class instances and errors; the input is not changed. pino's
 * `redact` paths name fixed depths, and a payload three levels down slipped past them.
 * The walk is bounded in depth and entries, and what lies beyond the bound is cut, never
 * passed through unredacted.
 */
export function redactSensitive<T>(value: T, limits: RedactionLimits = DEFAULT_LIMITS): T {
  let budget = limits.maxEntries;
  const ancestors = new Set<object>();

  const walk = (node: unknown, depth: number): unknown => {
    if (node === null || typeof node !== 'object' || isOpaque(node)) return node;
    if (ancestors.has(node)) return '[circular]';
    if (depth >= limits.maxDepth) return TRUNCATED;
    const json = jsonForm(node);
    if (json !== node) return walk(json, depth + 1);
    ancestors.add(node);
    try {
      if (Array.isArray(node)) {
        const kept = node.slice(0, Math.max(budget, 0));
        budget -= kept.length;
        const items = kept.map((item) => walk(item, depth + 1));
        return kept.length < node.length ? [...items, TRUNCATED] : items;
      }
      // An error keeps its prototype, so pino's serializer still prints its class as `type`.
      const copy = (node instanceof Error ? Object.create(Object.getPrototypeOf(node)) : {}) as Record<string, unknown>;
      const source = node instanceof Error ? errorFields(node) : (node as Record<string, unknown>);
      for (const key of Object.keys(source)) {
        if (budget-- <= 0) {
          copy[key] = TRUNCATED;
          break;
        }
        copy[key] = isSensitiveKey(key) ? REDACTED : walk(source[key], depth + 1);
      }
      return copy;
    } finally {
      ancestors.delete(node);
    }
  };

  return walk(value, 0) as T;
}
