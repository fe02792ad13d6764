/**
 * Who is merged into whom, the other way round from profile's pointers (ProfileUpdated MERGED,
 * `mergedInto`): an index to find a survivor's members by key. It may hold a member that has
 * moved on since (an unmerge whose removal a crash lost): readers check each member's pointer.
 */
export abstract class CustomerMembers {
  abstract add(holderId: string, memberId: string): Promise<void>;
  abstract remove(holderId: string, memberId: string): Promise<void>;
  abstract of(holderIds: readonly string[]): Promise<Map<string, string[]>>;
}
