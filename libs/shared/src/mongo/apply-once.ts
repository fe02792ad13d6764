import type { mongo } from 'mongoose';
import { isDuplicateKeyError } from '../messaging/idempotency-guards';

export type ApplyResult = 'applied' | 'duplicate';

/**
 * The embedded inbox (STYLE.md rule 12): the state change and the record that `eventId`
 * was applied are one single-document update, so a redelivered event changes nothing,
 * without multi-document transactions (which FerretDB v1 lacks). The document keeps the
 * last `keep` eventIds it applied (on MongoDB; FerretDB v1 ignores `$slice`, so there the
 * list grows until a clean-up job trims it).
 */
export async function applyOnce<T extends mongo.Document>(
  collection: mongo.Collection<T>,
  filter: mongo.Filter<T> & { _id: unknown },
  eventId: string,
  update: mongo.UpdateFilter<T>,
  keep = 200,
): Promise<ApplyResult> {
  const push = (update.$push ?? {}) as Record<string, unknown>;
  const guarded = {
    ...update,
    $push: { ...push, appliedEventIds: { $each: [eventId], $slice: -keep } },
  } as unknown as mongo.UpdateFilter<T>;
  try {
    const result = await collection.updateOne({ ...filter, appliedEventIds: { $ne: eventId } } as mongo.Filter<T>, guarded, {
      upsert: true,
    });
    return result.modifiedCount + result.upsertedCount > 0 ? 'applied' : 'duplicate';
  } catch (error) {
    // The document exists and already holds eventId: the upsert collided with its _id.
    if (isDuplicateKeyError(error)) return 'duplicate';
    throw error;
  }
}
