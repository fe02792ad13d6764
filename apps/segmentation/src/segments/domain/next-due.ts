import { assessChurn } from './churn-risk';
import { CustomerSegmentState, EvaluationRules } from './segment-state';

const DAY_MS = 86_400_000;
/** The churn model's inactivity signal stops growing here (churn-risk.ts). */
const INACTIVITY_CAP_DAYS = 360;

const plusDays = (since: string | undefined, days: number) => (since === undefined ? undefined : Date.parse(since) + days * DAY_MS);

/**
 * The first instant after the state's own at which time alone — no new event — can change
 * what segmentation decided (DOMAIN.md: dormancy, AT_RISK by inactivity, the tier's
 * downgrade grace, NEW running out, RFM recency, churn risk growing with inactivity); none
 * when nothing would. The daily sweep reads only customers whose instant has come (an early
 * instant costs one evaluation that changes nothing; a late one would miss a change).
 */
export function nextDueAt(state: CustomerSegmentState, numbers: EvaluationRules): string | undefined {
  const { rules } = numbers;
  const now = Date.parse(state.asOf);
  const f = state.features;
  const idleSince = f.lastTransactionAt ?? f.firstProductAt;
  const candidates = [
    state.tier.belowSince !== undefined ? plusDays(state.tier.belowSince, rules.downgradeGraceDays) : undefined,
    plusDays(f.firstProductAt, rules.newWithinDays),
    plusDays(idleSince, rules.atRiskAfterDays),
    plusDays(idleSince, rules.dormantAfterDays),
    ...numbers.rfmBreakpoints.recencyDays.map((days) => plusDays(f.lastTransactionAt, days + 1)),
    churnCrossing(state, numbers),
  ].filter((t): t is number => t !== undefined && t > now);
  return candidates.length ? new Date(Math.min(...candidates)).toISOString() : undefined;
}

/**
 * When inactivity alone moves the churn band, or the score across lifecycle's AT_RISK mark:
 * the weights are never negative, so the score only grows with idle days, and the first day
 * it crosses is found by bisection over whole idle days.
 */
function churnCrossing(state: CustomerSegmentState, numbers: EvaluationRules): number | undefined {
  const f = state.features;
  if (!f.lastActivityAt) return undefined;
  const judge = (at: string) => {
    const { score, band } = assessChurn(f, at, numbers.churnModel);
    return `${band}|${score >= numbers.rules.atRiskChurnScore}`;
  };
  const idleDay = (k: number) => new Date(Date.parse(f.lastActivityAt as string) + k * DAY_MS).toISOString();
  const today = judge(state.asOf);
  const elapsed = Math.floor((Date.parse(state.asOf) - Date.parse(f.lastActivityAt)) / DAY_MS);
  if (elapsed >= INACTIVITY_CAP_DAYS || judge(idleDay(INACTIVITY_CAP_DAYS)) === today) return undefined;
  let [lo, hi] = [Math.max(elapsed, 0), INACTIVITY_CAP_DAYS]; // judge(lo) = today ≠ judge(hi)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (judge(idleDay(mid)) === today) lo = mid;
    else hi = mid;
  }
  return Date.parse(idleDay(hi));
}
