import type { mongo } from 'mongoose';

/**
 * Writes a document over the revision its writer read: inserted when `expectedRev` is 0 (a
 * duplicate `_id` answers false: another writer made it first), else replaced where its `rev`
 * field still is `expectedRev` (false: it moved). On FerretDB v1 the filter is evaluated and the
 * write made by `_id`, so the guard is atomic on MongoDB 7 only: callers hold a lock besides.
 */
export async function writeAtRevision<T extends mongo.Document & { _id: string }>(collection: mongo.Collection<T>, doc: T, expectedRev: number): Promise<boolean> {
  if (expectedRev === 0) {
    try {
      await collection.insertOne(doc as mongo.OptionalUnlessRequiredId<T>);
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return false;
      throw error;
    }
  }
  const { _id, ...replacement } = doc;
  return (await collection.replaceOne({ _id, rev: expectedRev } as unknown as mongo.Filter<T>, replacement as mongo.WithoutId<T>)).matchedCount === 1;
}
