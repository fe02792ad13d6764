/**
 * A page of a segment's members from `limit + 1` read after the cursor: the first `limit`,
 * and, when there were more, the cursor for the next page (the last member shown: paging is
 * by key, so a member joining or leaving meanwhile moves no one else between pages).
 */
export function membersPage(fetched: readonly string[], limit: number): { members: string[]; next?: string } {
  const members = fetched.slice(0, limit);
  return fetched.length > limit ? { members, next: members[members.length - 1] } : { members };
}
