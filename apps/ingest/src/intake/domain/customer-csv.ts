import { createHash } from 'node:crypto';
import { FieldError, MARKETING_CHANNELS } from '@meridian/events';

/**
 * The customer import file (POST /v1/imports/customers): one CustomerUpserted per row,
 * columns named as the event's fields (CONTRACTS.md §2), consents as `consent_<channel>`
 * and `consent_profiling`, and optionally the row's own `eventId` and `occurredAt`.
 */
export const CSV_REQUIRED_COLUMNS = ['sourceSystem', 'sourceCustomerId', 'idType', 'idNumber', 'name', 'customerType', 'branchId'] as const;
const CSV_OPTIONAL_FIELDS = ['phone', 'email', 'birthDate', 'gender', 'rmId', 'riskTolerance'] as const;
const CONSENT_COLUMNS = [...MARKETING_CHANNELS.map((c) => `consent_${c}`), 'consent_profiling'];
export const CSV_COLUMNS: readonly string[] = ['eventId', 'occurredAt', ...CSV_REQUIRED_COLUMNS, ...CSV_OPTIONAL_FIELDS, ...CONSENT_COLUMNS];

/** Header problems refuse the whole file: a misspelt column would otherwise drop its data silently. */
export function headerProblems(header: readonly string[]): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const column of header) {
    if (!CSV_COLUMNS.includes(column)) errors.push({ field: column, rule: 'isKnownColumn', message: `unknown column "${column}" (known: ${CSV_COLUMNS.join(', ')})` });
    if (seen.has(column)) errors.push({ field: column, rule: 'isUniqueColumn', message: `column "${column}" appears twice` });
    seen.add(column);
  }
  for (const column of CSV_REQUIRED_COLUMNS) {
    if (!seen.has(column)) errors.push({ field: column, rule: 'isRequiredColumn', message: `column "${column}" is required` });
  }
  return errors;
}

const TRUE = new Set(['true', '1', 'y', 'yes']);
const FALSE = new Set(['false', '0', 'n', 'no']);

export interface CsvRowDefaults {
  /** The import's time: the occurredAt of rows without their own. */
  occurredAt: string;
  /** What the file describes (`?asOf=`, default the import's date): part of a row's identity. */
  asOf: string;
}

/**
 * A row → a CustomerUpserted envelope for the pipeline to validate, or the row's own
 * problems (a consent that is not a boolean). Empty cells are absent fields. A row without
 * an eventId gets one derived from its content and its time — its occurredAt column, else
 * the file's asOf — so sending the same file again yields duplicates, not double events,
 * while a later file whose row went back to earlier values is applied, not taken for the
 * earlier row.
 */
export function csvRowToEnvelope(row: Readonly<Record<string, string>>, defaults: CsvRowDefaults): { envelope: Record<string, unknown> } | { errors: FieldError[] } {
  const cell = (c: string) => {
    const v = row[c];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const errors: FieldError[] = [];
  const payload: Record<string, unknown> = {};
  for (const field of [...CSV_REQUIRED_COLUMNS, ...CSV_OPTIONAL_FIELDS]) {
    const v = cell(field);
    if (v !== undefined) payload[field] = v;
  }
  const marketing: Record<string, boolean> = {};
  let profiling: boolean | undefined;
  for (const column of CONSENT_COLUMNS) {
    const v = cell(column)?.toLowerCase();
    if (v === undefined) continue;
    if (!TRUE.has(v) && !FALSE.has(v)) {
      errors.push({ field: column, rule: 'isBoolean', message: `${column} must be true/false, yes/no, y/n or 1/0` });
      continue;
    }
    if (column === 'consent_profiling') profiling = TRUE.has(v);
    else marketing[column.slice('consent_'.length)] = TRUE.has(v);
  }
  if (errors.length) return { errors };
  if (Object.keys(marketing).length || profiling !== undefined) {
    payload.consents = { ...(Object.keys(marketing).length ? { marketing } : {}), ...(profiling !== undefined ? { profiling } : {}) };
  }
  const eventId =
    cell('eventId') ??
    `csv-${createHash('sha256')
      .update([...CSV_COLUMNS.filter((c) => c !== 'eventId' && c !== 'occurredAt').map((c) => cell(c) ?? ''), cell('occurredAt') ?? defaults.asOf].join('\u0000'))
      .digest('hex')
      .slice(0, 40)}`;
  return {
    envelope: {
      eventId,
      type: 'CustomerUpserted',
      schemaVersion: 1,
      occurredAt: cell('occurredAt') ?? defaults.occurredAt,
      source: typeof payload.sourceSystem === 'string' ? payload.sourceSystem : 'csv-import',
      payload,
    },
  };
}
