import type { ProfileFeatures } from '@meridian/events';
import { assessChurn } from './churn-risk';
import { customerLifetimeValue } from './customer-lifetime-value';
import { lifecycleStage } from './lifecycle-stage';
import { rfmScores } from './rfm-score';
import { SegmentFacts, storedFacts } from '@meridian/events/rules';
import { CustomerSegmentState, EvaluationRules, MembershipRules, SegmentChange } from './segment-state';
import { decideTier } from './value-tier';

export interface Evaluation {
  state: CustomerSegmentState;
  /** In the order a consumer would want them: tier, stage, churn band, RFM, then memberships (exits first). */
  changes: SegmentChange[];
}

const later = (a: string, b: string | undefined) => (b !== undefined && Date.parse(b) > Date.parse(a) ? b : a);
const sameRfm = (a: SegmentFacts['rfm'], b: SegmentFacts['rfm']) => a.r === b.r && a.f === b.f && a.m === b.m && a.segment === b.segment;

/**
 * A customer's segmentation at `asOf` from their feature snapshot and what was kept of them
 * (DOMAIN.md: value tiers, RFM, lifecycle stages, churn risk, tags): the new state and the
 * changes to announce, nothing else. Time never runs backwards for a customer: a snapshot
 * older than the last evaluation (a sweep ran since) is evaluated at the later instant.
 * The same inputs always give the same answer; re-evaluating a state at its own instant with
 * its own features changes nothing.
 */
export function evaluateCustomer(
  previous: CustomerSegmentState | undefined,
  features: ProfileFeatures,
  asOf: string,
  profileVersion: number,
  membership: MembershipRules,
  numbers: EvaluationRules,
): Evaluation {
  const at = later(asOf, previous?.asOf);
  const { rules } = numbers;
  const tier = decideTier(previous?.tier, features.aumMinor, at, rules);
  const churn = assessChurn(features, at, numbers.churnModel);
  const churnScore = Math.round(churn.score * 10_000) / 10_000;
  const stage = lifecycleStage(
    {
      productsHeld: features.productsHeld.length,
      firstProductAt: features.firstProductAt,
      lastTransactionAt: features.lastTransactionAt,
      aumMinor: features.aumMinor,
      aumPeak90dMinor: features.aumPeak90dMinor,
      churnScore,
    },
    at,
    rules,
  );
  const rfm = rfmScores(features, at, numbers.rfmBreakpoints);
  // As the state collection holds them (no undefined fields), so a rule says the same here and as a query there.
  const derived: SegmentFacts = storedFacts({
    ...features,
    tier: tier.state.tier,
    lifecycleStage: stage.stage,
    churnScore,
    churnBand: churn.band,
    rfm: { r: rfm.r, f: rfm.f, m: rfm.m, segment: rfm.rfmSegment },
    // CLV needs the balances by product type (profiles announce them from issue 10 on).
    ...(features.balancesByType && { clvMinor: customerLifetimeValue({ balancesByType: features.balancesByType, fees90dMinor: features.fees90dMinor, churnScore }, rules.clv).clvMinor }),
    tags: [...features.tags],
  });
  // Catalogue tags read the profile's own tags; segments read every tag held.
  const tagIds = membership.tags.filter((t) => t.matches(derived)).map((t) => t.id);
  const facts: SegmentFacts = { ...derived, tags: [...new Set([...features.tags, ...tagIds.map((id) => id.replace(/^tag:/, ''))])].sort() };
  const segmentIds = membership.segments.filter((s) => s.matches(facts)).map((s) => s.id);
  const memberships = [...new Set([...tagIds, ...segmentIds])].sort();

  const changes: SegmentChange[] = [];
  if (tier.change) changes.push({ type: 'TierChanged', payload: tier.change });
  const before = previous?.facts;
  if (before?.lifecycleStage !== stage.stage) {
    changes.push({ type: 'LifecycleStageChanged', payload: { ...(before && { from: before.lifecycleStage }), to: stage.stage, reason: stage.reason } });
  }
  if (before?.churnBand !== churn.band) {
    changes.push({
      type: 'ChurnRiskChanged',
      payload: { score: churnScore, band: churn.band, ...(before && { previousBand: before.churnBand }), topFactors: churn.topFactors.map((f) => ({ factor: f.factor, contribution: Math.round(f.contribution * 1_000) / 1_000 })) },
    });
  }
  if (!before || !sameRfm(before.rfm, facts.rfm)) {
    changes.push({ type: 'RfmScored', payload: { r: rfm.r, f: rfm.f, m: rfm.m, rfmSegment: rfm.rfmSegment, ...(facts.clvMinor !== undefined && { clvMinor: facts.clvMinor }) } });
  }
  changes.push(...membershipChanges(previous?.memberships ?? [], memberships));
  return { state: { profileVersion, asOf: at, features, tier: tier.state, facts, memberships }, changes };
}

/** EXITED for what was held and is no more, then ENTERED for what is new (both sorted). */
export function membershipChanges(before: readonly string[], after: readonly string[]): SegmentChange[] {
  const was = new Set(before);
  const now = new Set(after);
  return [
    ...before.filter((id) => !now.has(id)).map((segmentId): SegmentChange => ({ type: 'SegmentMembershipChanged', payload: { segmentId, change: 'EXITED' } })),
    ...after.filter((id) => !was.has(id)).map((segmentId): SegmentChange => ({ type: 'SegmentMembershipChanged', payload: { segmentId, change: 'ENTERED' } })),
  ];
}
