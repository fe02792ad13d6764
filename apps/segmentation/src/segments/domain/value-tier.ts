import { TIERS, Tier } from '@meridian/events';
import { daysSince } from './elapsed-days';
import { SegmentationRules } from './segmentation-rules';

/** A customer's tier as segmentation keeps it: since when AUM is below its threshold, if it is. */
export interface TierState {
  tier: Tier;
  /** The first instant AUM was seen below the current tier's threshold, in a run not broken since. */
  belowSince?: string;
}

export interface TierDecision {
  state: TierState;
  /** Set when the tier moved. */
  change?: { from?: Tier; to: Tier; reason: string };
}

const rank = (t: Tier) => TIERS.length - TIERS.indexOf(t);
const cny = (minor: number) => `${Math.floor(minor / 100).toLocaleString('en-US')} CNY`;

/** The tier AUM alone earns (DOMAIN.md: value tiers). */
export function tierFor(aumMinor: number, rules: SegmentationRules): Tier {
  const t = rules.tierThresholdsMinor;
  if (aumMinor >= t.DIAMOND) return 'DIAMOND';
  if (aumMinor >= t.GOLD) return 'GOLD';
  if (aumMinor >= t.SILVER) return 'SILVER';
  return 'MASS';
}

/**
 * The tier after seeing AUM at `asOf`: an upgrade applies at once; a downgrade only after AUM
 * has stayed below the current tier's threshold for the grace (`downgradeGraceDays` whole days
 * since it was first seen below), and a rise back to the threshold meanwhile cancels it. The
 * downgrade goes straight to the tier AUM earns then.
 */
export function decideTier(previous: TierState | undefined, aumMinor: number, asOf: string, rules: SegmentationRules): TierDecision {
  const earned = tierFor(aumMinor, rules);
  if (!previous) return { state: { tier: earned }, change: { to: earned, reason: `first tier: AUM ${cny(aumMinor)}` } };
  const current = previous.tier;
  if (rank(earned) > rank(current)) {
    return { state: { tier: earned }, change: { from: current, to: earned, reason: `upgraded: AUM ${cny(aumMinor)} reached the ${earned} threshold of ${cny(rules.tierThresholdsMinor[earned as Exclude<Tier, 'MASS'>])}` } };
  }
  if (earned === current) return { state: { tier: current } };
  const belowSince = previous.belowSince ?? asOf;
  const days = daysSince(belowSince, asOf);
  if (days < rules.downgradeGraceDays) return { state: { tier: current, belowSince } };
  const threshold = rules.tierThresholdsMinor[current as Exclude<Tier, 'MASS'>];
  return {
    state: { tier: earned },
    change: { from: current, to: earned, reason: `downgraded: AUM ${cny(aumMinor)} stayed below the ${current} threshold of ${cny(threshold)} for ${days} days (grace ${rules.downgradeGraceDays})` },
  };
}
