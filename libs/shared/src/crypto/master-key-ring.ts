import { MASTER_KEY_VARIABLE, PREVIOUS_MASTER_KEYS_VARIABLE } from './field-encryption';

/**
 * What a service's data says of its master keys (`key_checks`, `_id` FIELD_ENCRYPTION_MASTER_KEY;
 * ADR 0008): the key new data keys are wrapped under (`check`, as point 4 recorded it), the
 * keys that may still wrap some data key (`retiring`: a rotation began and its re-wrap job has
 * not finished) and the keys that wrapped data once and wrap none now (`retired`). Ids are key
 * check values, never keys.
 */
export interface MasterKeyRingRecord {
  check: string;
  retiring: string[];
  retired: string[];
}

/** The ring a process is configured with: FIELD_ENCRYPTION_MASTER_KEY's id and FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS' ids. */
export interface ConfiguredMasterKeys {
  current: string;
  previous: readonly string[];
}

export interface KeyProblem {
  variable: string;
  message: string;
}

export interface MasterKeyRingVerdict {
  /** The record once this start is accepted: to be written when `changed` (a first start, or a rotation beginning). */
  record: MasterKeyRingRecord;
  changed: boolean;
  /** Non-empty: the process must not run; each names the variable to fix. */
  problems: KeyProblem[];
}

const short = (id: string) => `${id.slice(0, 12)}…`;
const unique = (ids: readonly string[]) => [...new Set(ids)];

/**
 * Decides a start (pure): the same current key runs; a current key whose predecessor is listed
 * among the previous keys begins a rotation (the predecessor joins `retiring`); anything else
 * is the wrong key. Then every previous key must be one the data knows, and every key still
 * wrapping data keys must be listed — removing it early would leave those customers unreadable.
 */
export function masterKeyRingVerdict(stored: MasterKeyRingRecord | undefined, configured: ConfiguredMasterKeys): MasterKeyRingVerdict {
  const { current, previous } = configured;
  let record: MasterKeyRingRecord;
  let changed = false;
  if (!stored) {
    record = { check: current, retiring: [], retired: [] };
    changed = true;
  } else if (stored.check === current) {
    record = stored;
  } else if (previous.includes(stored.check)) {
    const retiring = unique([...stored.retiring, stored.check]).filter((id) => id !== current);
    record = { check: current, retiring, retired: stored.retired.filter((id) => id !== current && !retiring.includes(id)) };
    changed = true;
  } else {
    const message = `${MASTER_KEY_VARIABLE} is not the key this service's data was written with: set the key it was written with, or list that key in ${PREVIOUS_MASTER_KEYS_VARIABLE} to rotate to this one`;
    return { record: stored, changed: false, problems: [{ variable: MASTER_KEY_VARIABLE, message }] };
  }
  const problems: KeyProblem[] = [];
  const known = new Set([record.check, ...record.retiring, ...record.retired]);
  const unknown = previous.filter((id) => !known.has(id));
  if (unknown.length) {
    problems.push({
      variable: PREVIOUS_MASTER_KEYS_VARIABLE,
      message: `${PREVIOUS_MASTER_KEYS_VARIABLE} holds a key this service's data was never written with (key id ${unknown.map(short).join(', ')}): remove it, or set the key that was meant`,
    });
  }
  const missing = record.retiring.filter((id) => !previous.includes(id));
  if (missing.length) {
    problems.push({
      variable: PREVIOUS_MASTER_KEYS_VARIABLE,
      message: `${PREVIOUS_MASTER_KEYS_VARIABLE} lacks the master key(s) ${missing.map(short).join(', ')} that still wrap data keys: keep them listed until the re-wrap job reports done (GET /v1/admin/keys/rewrap)`,
    });
  }
  return { record, changed, problems };
}

/**
 * After a re-wrap run under `current` walked every data key (pure): no data key is wrapped under
 * any other key, so `retiring` becomes `retired` and a start without them passes. Undefined when
 * the service rotated again meanwhile (the run's target is no longer current: nothing to retire).
 */
export function retireRewrappedKeys(record: MasterKeyRingRecord, current: string): MasterKeyRingRecord | undefined {
  if (record.check !== current) return undefined;
  return { check: current, retiring: [], retired: unique([...record.retired, ...record.retiring]) };
}
