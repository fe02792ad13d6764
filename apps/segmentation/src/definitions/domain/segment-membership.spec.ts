import fc from 'fast-check';
import { sampleFacts } from '@meridian/events/testing';
import { rememberSegment } from './segment-membership';

const gold = (f: { tier: string }) => f.tier === 'GOLD';

describe('rememberSegment', () => {
  it.each<[string, string[], string, boolean | undefined, string[], string[]]>([
    ['enters a matching segment, keeping order', ['tag:A', 'tag:Z'], 'seg-m', true, ['seg-m', 'tag:A', 'tag:Z'], ['ENTERED seg-m']],
    ['leaves one no longer matched', ['seg-m', 'tag:A'], 'seg-m', false, ['tag:A'], ['EXITED seg-m']],
    ['leaves a deleted one', ['seg-m', 'tag:A'], 'seg-m', undefined, ['tag:A'], ['EXITED seg-m']],
    ['stays in one still matched', ['seg-m', 'tag:A'], 'seg-m', true, ['seg-m', 'tag:A'], []],
    ['stays out of one not matched', ['tag:A'], 'seg-m', false, ['tag:A'], []],
  ])('%s', (_, before, segmentId, match, after, changes) => {
    const matches = match === undefined ? undefined : () => match;
    const out = rememberSegment({ memberships: before, facts: sampleFacts() }, segmentId, matches);
    expect(out.memberships).toEqual(after);
    expect(out.changes.map((c) => (c.type === 'SegmentMembershipChanged' ? `${c.payload.change} ${c.payload.segmentId}` : c.type))).toEqual(changes);
  });

  it('reads the stored facts', () => {
    expect(rememberSegment({ memberships: [], facts: sampleFacts({ tier: 'GOLD' }) }, 's', gold).memberships).toEqual(['s']);
    expect(rememberSegment({ memberships: ['s'], facts: sampleFacts({ tier: 'MASS' }) }, 's', gold).memberships).toEqual([]);
  });

  it('moves only the one segment, keeps the list sorted and unique, and judging again changes nothing', () => {
    const id = fc.constantFrom('a', 'b', 'seg-1', 'seg-2', 'tag:X', 'tag:Y');
    fc.assert(
      fc.property(fc.uniqueArray(id).map((xs) => xs.sort()), id, fc.option(fc.boolean(), { nil: undefined }), (before, segmentId, match) => {
        const matches = match === undefined ? undefined : () => match;
        const once = rememberSegment({ memberships: before, facts: sampleFacts() }, segmentId, matches);
        expect(once.memberships).toEqual([...new Set(once.memberships)].sort());
        expect(once.memberships.filter((m) => m !== segmentId)).toEqual(before.filter((m) => m !== segmentId));
        expect(once.memberships.includes(segmentId)).toBe(match === true);
        expect(once.changes.length).toBe(before.includes(segmentId) === (match === true) ? 0 : 1);
        expect(rememberSegment({ memberships: once.memberships, facts: sampleFacts() }, segmentId, matches).changes).toEqual([]);
      }),
    );
  });
});
