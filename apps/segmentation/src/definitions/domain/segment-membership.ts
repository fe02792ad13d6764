import { membershipChanges } from '../../segments/domain/evaluate-customer';
import { SegmentFacts } from '@meridian/events/rules';
import { SegmentChange } from '../../segments/domain/segment-state';

/**
 * A customer's memberships once one segment is judged again on the facts stored for them
 * (a back-fill: the segment was defined, edited or deleted): held when its rule matches
 * (`matches` absent: the segment is gone), everything else as it was — tier, stage and
 * churn are not recomputed. The changes are what moved (none, one ENTERED or one EXITED).
 */
export function rememberSegment(
  state: { memberships: readonly string[]; facts: SegmentFacts },
  segmentId: string,
  matches: ((facts: SegmentFacts) => boolean) | undefined,
): { memberships: string[]; changes: SegmentChange[] } {
  const others = state.memberships.filter((id) => id !== segmentId);
  const memberships = matches?.(state.facts) ? [...others, segmentId].sort() : others;
  return { memberships, changes: membershipChanges(state.memberships, memberships) };
}
