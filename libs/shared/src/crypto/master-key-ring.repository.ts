import type { Connection } from 'mongoose';
import { isDuplicateKeyError } from '../messaging/idempotency-guards';
import { MASTER_KEY_VARIABLE } from './field-encryption';
import { ConfiguredMasterKeys, KeyProblem, MasterKeyRingRecord, masterKeyRingVerdict, retireRewrappedKeys } from './master-key-ring';

interface MasterKeyRingDoc {
  _id: string;
  check: string;
  retiring?: string[];
  retired?: string[];
  recordedAt: Date;
  rotatedAt?: Date;
  retiredAt?: Date;
}

/** Another instance moved the record between our read and our write: read again and decide again (a few times). */
const MAX_RACES = 5;

function collectionOf(connection: Connection) {
  const db = connection.db;
  if (!db) throw new Error('mongodb is not connected');
  return db.collection<MasterKeyRingDoc>('key_checks');
}

/** The master key record of this service's data (point 4's document; a record without `retiring`/`retired` predates rotation). */
export async function readMasterKeyRing(connection: Connection): Promise<MasterKeyRingRecord | undefined> {
  const doc = await collectionOf(connection).findOne({ _id: MASTER_KEY_VARIABLE });
  return doc ? { check: doc.check, retiring: doc.retiring ?? [], retired: doc.retired ?? [] } : undefined;
}

/** When the current rotation began (the start that recorded the current key over another), if one did. */
export async function masterKeyRotatedAt(connection: Connection): Promise<Date | undefined> {
  return (await collectionOf(connection).findOne({ _id: MASTER_KEY_VARIABLE }))?.rotatedAt ?? undefined;
}

/**
 * The master key check at start (ADR 0008): decides with `masterKeyRingVerdict`, and records a
 * first start or the beginning of a rotation — by `_id` insert, or by a replace conditioned on
 * the check it read, so concurrent starts with the same keys agree. Answers what is wrong. A
 * re-check of a running instance (`atStart` false) never records: instances with different
 * keys would otherwise flip the record between them.
 */
export async function checkMasterKeyRing(connection: Connection, configured: ConfiguredMasterKeys, now: Date, atStart = true): Promise<KeyProblem[]> {
  const collection = collectionOf(connection);
  for (let race = 0; race < MAX_RACES; race++) {
    const stored = await readMasterKeyRing(connection);
    const verdict = masterKeyRingVerdict(stored, configured);
    if (verdict.problems.length || !verdict.changed) return verdict.problems;
    // Only a start records: a running instance that would record has been overtaken (a rollback, another rotation).
    if (!atStart) return [{ variable: MASTER_KEY_VARIABLE, message: `${MASTER_KEY_VARIABLE}: the master key record changed since this instance started (another instance rotated): restart with the new configuration` }];
    const { check, retiring, retired } = verdict.record;
    if (!stored) {
      try {
        await collection.insertOne({ _id: MASTER_KEY_VARIABLE, check, retiring, retired, recordedAt: now });
        return [];
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        continue;
      }
    }
    const written = await collection.updateOne({ _id: MASTER_KEY_VARIABLE, check: stored.check }, { $set: { check, retiring, retired, rotatedAt: now } });
    if (written.matchedCount === 1) return [];
  }
  throw new Error(`the master key record kept changing while this instance started (${MAX_RACES} attempts): instances with different keys are starting at once`);
}

/**
 * A re-wrap run under `current` has walked every data key: the keys it replaced are retired,
 * so a start without them passes. Answers the record as it now stands (unchanged when the
 * service rotated again meanwhile).
 */
export async function retireMasterKeys(connection: Connection, current: string, now: Date): Promise<MasterKeyRingRecord | undefined> {
  const stored = await readMasterKeyRing(connection);
  const next = stored && retireRewrappedKeys(stored, current);
  if (!stored || !next) return stored;
  await collectionOf(connection).updateOne(
    { _id: MASTER_KEY_VARIABLE, check: current },
    { $set: { retiring: next.retiring, retired: next.retired, retiredAt: now } },
  );
  return next;
}
