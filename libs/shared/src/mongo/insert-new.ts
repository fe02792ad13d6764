import type { mongo } from 'mongoose';

/**
 * Inserts documents whose `_id` may already exist, in one round trip
 * (`insertMany({ordered: false})`), and answers the positions that did exist. A duplicate
 * `_id` is the signal — "already claimed", "already done" — and the cheapest atomic test
 * both MongoDB and FerretDB offer (ADR 0005: FerretDB v1 pushes down nothing but an `_id`
 * equality, so `$in` reads scan; inserts are checked against the unique `_id` index).
 */
export async function insertNew<T extends mongo.Document>(
  collection: mongo.Collection<T>,
  docs: mongo.OptionalUnlessRequiredId<T>[],
): Promise<Set<number>> {
  const existing = new Set<number>();
  if (!docs.length) return existing;
  try {
    await collection.insertMany(docs, { ordered: false });
  } catch (error) {
    const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
    const list = (Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : []) as Array<{ index: number; code: number }>;
    if (!list.length || list.some((e) => e.code !== 11000)) throw error;
    for (const e of list) existing.add(e.index);
  }
  return existing;
}

/** Runs `fn` over `items` with at most `limit` at a time, keeping results in order. */
export async function mapLimit<I, O>(items: readonly I[], limit: number, fn: (item: I, index: number) => Promise<O>): Promise<O[]> {
  const out = new Array<O>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * The driver's collection of a connected mongoose connection. Mongoose's own collection
 * proxy buffers commands while disconnected, which breaks cursor methods (`find().limit()`
 * is not a function then); callers get a clear error instead, and retry.
 */
export function nativeCollection<T extends mongo.Document>(connection: { db?: mongo.Db; readyState: number; name: string }, name: string): mongo.Collection<T> {
  if (!connection.db || connection.readyState !== 1) throw new Error(`MongoDB (${connection.name}) is not connected`);
  return connection.db.collection<T>(name);
}
