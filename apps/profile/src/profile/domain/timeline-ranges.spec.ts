import fc from 'fast-check';
import { fillRange, inRange, rangeEnd, rangeHolding } from './timeline-ranges';

describe('timeline ranges', () => {
  const froms = ['m', 'f', ''];

  it.each([
    ['z', 'm'],
    ['m', 'm'],
    ['l', 'f'],
    ['a', ''],
  ])('%s is held by the range from %j', (key, from) => expect(rangeHolding(froms, key)).toBe(from));

  it.each([
    ['m', undefined],
    ['f', 'm'],
    ['', 'f'],
  ])('the range from %j ends at %j', (from, end) => expect(rangeEnd(froms, from)).toBe(end));

  it.each([
    ['f', 'f', 'm', true],
    ['l', 'f', 'm', true],
    ['m', 'f', 'm', false],
    ['e', 'f', 'm', false],
    ['zz', 'm', undefined, true],
  ] as const)('%s in [%j, %j): %s', (entry, from, end, expected) => expect(inRange(entry, from, end)).toBe(expected));

  it('keeps a node that fits whole, newest first, dropping what lies outside its range', () =>
    expect(fillRange('c', 'x', ['d', 'y'], ['e', 'd', 'b'], 3)).toEqual([{ from: 'c', entries: ['e', 'd'] }]));

  it('splits a full node into equal sorted chunks: the oldest keeps the bound, the newer are named by their oldest entry', () =>
    expect(fillRange('', undefined, ['a', 'b', 'c', 'd'], ['e'], 4)).toEqual([
      { from: 'd', entries: ['e', 'd'] },
      { from: '', entries: ['c', 'b', 'a'] },
    ]));

  it('never makes a node above the cap or loses an entry, and the chunks partition the range', () =>
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 300 }), fc.integer({ min: 2, max: 40 }), (entries, cap) => {
        const nodes = fillRange('', undefined, entries.slice(0, cap), entries.slice(cap), cap);
        expect(nodes.every((n) => n.entries.length <= cap)).toBe(true);
        expect(nodes.flatMap((n) => n.entries)).toEqual([...entries].sort().reverse());
        const bounds = nodes.map((n) => n.from);
        for (const n of nodes) expect(n.entries.every((e) => rangeHolding(bounds, e) === n.from)).toBe(true);
      }),
    ));
});
