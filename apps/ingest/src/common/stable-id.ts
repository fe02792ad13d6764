import { createHash } from 'node:crypto';

/** A stable short id from parts: the same record always yields the same customer, merge and event ids, so a retry repeats itself exactly. */
export function stableId(prefix: string, ...parts: string[]): string {
  return prefix + createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 24).toUpperCase();
}
