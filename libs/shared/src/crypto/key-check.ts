import type { Connection } from 'mongoose';
import { isDuplicateKeyError } from '../messaging/idempotency-guards';

/** A key variable and the check value of the key it holds now. */
export interface KeyInUse {
  variable: 'FIELD_ENCRYPTION_MASTER_KEY' | 'BLIND_INDEX_KEY';
  check: string;
}

interface KeyCheckDoc {
  _id: string;
  check: string;
  recordedAt: Date;
}

/**
 * The key check of a service's data (issue 9: keys that fail fast): the first start writes
 * each key's check value into the service's own database (`key_checks`, by variable name);
 * every later start compares. A wrong master key would otherwise answer 500 on every read,
 * and a wrong blind-index key would silently index the same people anew — duplicate
 * customers. Answers the variables whose key does not match what the data was written with.
 */
export async function mismatchedKeys(connection: Connection, keys: readonly KeyInUse[], now: Date): Promise<string[]> {
  const db = connection.db;
  if (!db) throw new Error('mongodb is not connected');
  const collection = db.collection<KeyCheckDoc>('key_checks');
  const mismatched: string[] = [];
  for (const { variable, check } of keys) {
    let stored = await collection.findOne({ _id: variable });
    if (!stored) {
      try {
        await collection.insertOne({ _id: variable, check, recordedAt: now });
        continue;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        stored = await collection.findOne({ _id: variable }); // another instance recorded it first
      }
    }
    if (stored && stored.check !== check) mismatched.push(variable);
  }
  return mismatched;
}
