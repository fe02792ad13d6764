import { MAX_MERGE_CHAIN, MergePointer, mergeChainEnd } from './merge-chain-end';

const merged = (into: string): MergePointer => ({ status: 'MERGED', mergedInto: into });
const reader = (profiles: Record<string, MergePointer>) => async (id: string) => profiles[id];

describe('merge chain end: where a customer\'s events go', () => {
  it.each<{ case: string; start: string; profiles: Record<string, MergePointer>; end: { id: string; complete: boolean } }>([
    { case: 'an unknown customer is its own end', start: 'A', profiles: {}, end: { id: 'A', complete: true } },
    { case: 'an active customer is its own end', start: 'A', profiles: { A: { status: 'ACTIVE' } }, end: { id: 'A', complete: true } },
    { case: 'one merge', start: 'M', profiles: { M: merged('S'), S: { status: 'ACTIVE' } }, end: { id: 'S', complete: true } },
    { case: 'a chain M→S→T', start: 'M', profiles: { M: merged('S'), S: merged('T'), T: { status: 'ACTIVE' } }, end: { id: 'T', complete: true } },
    { case: 'a pointer back to the start ends the chain', start: 'A', profiles: { A: merged('B'), B: merged('A') }, end: { id: 'B', complete: true } },
    { case: 'a pointer with no target is an end', start: 'A', profiles: { A: { status: 'MERGED' } }, end: { id: 'A', complete: true } },
    { case: 'an erased survivor is an end (the caller decides what that means)', start: 'M', profiles: { M: merged('S'), S: { status: 'ERASED' } }, end: { id: 'S', complete: true } },
  ])('$case', async ({ start, profiles, end }) => {
    expect(await mergeChainEnd(start, reader(profiles))).toEqual(end);
  });

  it.each([
    [MAX_MERGE_CHAIN - 1, true],
    [MAX_MERGE_CHAIN, false],
    [MAX_MERGE_CHAIN + 5, false],
  ])('a chain of %i pointers is complete: %s', async (hops, complete) => {
    const profiles: Record<string, MergePointer> = {};
    for (let i = 0; i < hops; i++) profiles[`C${i}`] = merged(`C${i + 1}`);
    const end = await mergeChainEnd('C0', reader(profiles));
    expect(end.complete).toBe(complete);
    if (complete) expect(end.id).toBe(`C${hops}`);
  });
});
