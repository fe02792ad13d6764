import { holdsEventsOf, mergeMembership, unmergeMembership } from './merge-membership';

const sorted = (m: Map<string, Set<string>>) => Object.fromEntries([...m].map(([k, v]) => [k, [...v].sort()]));

describe('merge membership: whose events each rebuilt profile folds', () => {
  it.each([
    { case: 'two single customers', survivor: { id: 'S' }, merged: { id: 'M' }, holds: { S: ['M', 'S'] }, pointer: [] },
    { case: 'the survivor already holds others', survivor: { id: 'S', mergedFrom: ['A'] }, merged: { id: 'M' }, holds: { S: ['A', 'M', 'S'] }, pointer: [] },
    { case: 'the merged customer brings its own merges', survivor: { id: 'S' }, merged: { id: 'M', mergedFrom: ['B', 'A'] }, holds: { S: ['A', 'B', 'M', 'S'] }, pointer: ['A', 'B'] },
    { case: 'a customer already held is not counted twice', survivor: { id: 'S', mergedFrom: ['A'] }, merged: { id: 'M', mergedFrom: ['A'] }, holds: { S: ['A', 'M', 'S'] }, pointer: ['A'] },
  ])('merge: $case', ({ survivor, merged, holds, pointer }) => {
    const m = mergeMembership(survivor, merged);
    expect(sorted(m.holds)).toEqual(holds);
    expect([...m.holds.keys()][0]).toBe(survivor.id);
    expect([...m.readsEventsOf].sort()).toEqual(holds[survivor.id as 'S']);
    expect(m.pointerMergedFrom).toEqual(pointer);
  });

  it.each([
    { case: 'the only merged customer leaves', holder: { id: 'S', mergedFrom: ['M'] }, restored: { id: 'M' }, holds: { S: ['S'], M: ['M'] }, reads: ['M', 'S'] },
    { case: 'others stay with the holder', holder: { id: 'T', mergedFrom: ['S', 'M'] }, restored: { id: 'M' }, holds: { T: ['S', 'T'], M: ['M'] }, reads: ['M', 'S', 'T'] },
    { case: 'the restored customer takes back what it brought', holder: { id: 'S', mergedFrom: ['M', 'A', 'B'] }, restored: { id: 'M', mergedFrom: ['A'] }, holds: { S: ['B', 'S'], M: ['A', 'M'] }, reads: ['A', 'B', 'M', 'S'] },
    { case: 'a customer the holder never held', holder: { id: 'S' }, restored: { id: 'M' }, holds: { S: ['S'], M: ['M'] }, reads: ['M', 'S'] },
  ])('unmerge: $case', ({ holder, restored, holds, reads }) => {
    const m = unmergeMembership(holder, restored);
    expect(sorted(m.holds)).toEqual(holds);
    expect([...m.holds.keys()]).toEqual([holder.id, restored.id]);
    expect([...m.readsEventsOf].sort()).toEqual(reads);
  });

  it.each([
    ['S', true],
    ['M', true],
    ['X', false],
  ])('a profile S holding M holds the events of %s: %s', (customerId, held) => expect(holdsEventsOf({ id: 'S', mergedFrom: ['M'] }, customerId)).toBe(held));

  it('events of every customer held are counted exactly once after a merge then its undoing', () => {
    const merged = mergeMembership({ id: 'S', mergedFrom: ['A'] }, { id: 'M', mergedFrom: ['B'] });
    const survivorAfter = { id: 'S', mergedFrom: [...merged.holds.get('S')!].filter((x) => x !== 'S') };
    const split = unmergeMembership(survivorAfter, { id: 'M', mergedFrom: merged.pointerMergedFrom });
    const all = [...split.holds.values()].flatMap((s) => [...s]);
    expect(all.sort()).toEqual(['A', 'B', 'M', 'S']);
    expect(sorted(split.holds)).toEqual({ S: ['A', 'S'], M: ['B', 'M'] });
  });
});
