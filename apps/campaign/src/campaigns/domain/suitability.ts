import { RISK_TOLERANCES, RiskTolerance } from '@meridian/events';

/**
 * 投资者适当性管理 (DOMAIN.md suitability): an offer of an investment product of risk level R1–R5
 * goes only to customers whose riskTolerance is at least that level; a customer with none is
 * offered R1 at most. An offer that is no investment (no risk level) suits everyone. A regulatory
 * rule, checked before consent and caps, that no campaign setting overrides.
 */
export function isSuitable(offerRisk: RiskTolerance | undefined, customerTolerance: RiskTolerance | undefined): boolean {
  if (offerRisk === undefined) return true;
  return RISK_TOLERANCES.indexOf(customerTolerance ?? 'R1') >= RISK_TOLERANCES.indexOf(offerRisk);
}
