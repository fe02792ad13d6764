/** Every command of a pipeline or transaction answered, or the first error thrown: a write never passes for done when it was not. */
export function answersOf(results: [Error | null, unknown][] | null): unknown[] {
  if (!results) throw new Error('the Redis transaction was aborted');
  const failed = results.find(([error]) => error);
  if (failed) throw failed[0];
  return results.map(([, value]) => value);
}
