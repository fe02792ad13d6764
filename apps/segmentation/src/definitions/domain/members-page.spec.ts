import fc from 'fast-check';
import { membersPage } from './members-page';

/** The index as Redis answers it: members after the cursor, in order, up to a count. */
const after = (all: string[], cursor: string | undefined, count: number) => all.filter((m) => cursor === undefined || m > cursor).slice(0, count);

describe('membersPage', () => {
  it.each<[string, string[], number, { members: string[]; next?: string }]>([
    ['more than a page: the next cursor is the last shown', ['a', 'b', 'c'], 2, { members: ['a', 'b'], next: 'b' }],
    ['exactly a page: no next', ['a', 'b'], 2, { members: ['a', 'b'] }],
    ['less than a page', ['a'], 2, { members: ['a'] }],
    ['none', [], 2, { members: [] }],
  ])('%s', (_, fetched, limit, page) => {
    expect(membersPage(fetched, limit)).toEqual(page);
  });

  it('walking the pages lists every member exactly once, in order, whatever the page size', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 60 }), fc.integer({ min: 1, max: 20 }), (members, limit) => {
        const all = [...members].sort();
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let pages = 0; pages <= all.length + 1; pages++) {
          const page = membersPage(after(all, cursor, limit + 1), limit);
          seen.push(...page.members);
          cursor = page.next;
          if (!cursor) break;
        }
        expect(seen).toEqual(all);
      }),
    );
  });
});
