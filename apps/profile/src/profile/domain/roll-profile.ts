import { prune } from './fold-event';
import { ProfileRules } from './profile-rules';
import { ProfileState, maxTime } from './profile-state';

/**
 * The day roll (issue 10, point 5): time passes for the profile with no event — its "now"
 * becomes the later of the newest event folded and the roll's instant, in place, and what
 * is older than the retention window goes. Commutes with foldEvent (both take the maximum
 * and prune from it), so events and rolls in any order give the same profile but `version`.
 */
export function rollProfile(state: ProfileState, asOf: string, rules: ProfileRules): void {
  const instant = new Date(asOf).toISOString();
  state.rolledTo = maxTime(state.rolledTo, instant);
  state.asOf = maxTime(state.asOf, instant);
  prune(state, rules);
}
