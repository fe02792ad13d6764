import type { ProductType, Tier } from '@meridian/events';
import type { IntentSignal } from './intent-signal';
import type { LeadRules } from './lead-rules';

export type LeadFactorName = 'AUM' | 'HIGH_POTENTIAL' | 'WEALTH_INQUIRY' | 'PRODUCT_PAGE_VIEWS' | 'PRODUCT_GAP';

/** One reason a lead scores what it does: what the RM reads next to the score. */
export interface LeadFactor {
  factor: LeadFactorName;
  points: number;
  detail: string;
}

export interface LeadScore {
  /** 0–100. */
  score: number;
  /** Every factor that counted, most points first. */
  factors: LeadFactor[];
}

/** What a lead is scored on. */
export interface LeadInputs {
  aumMinor: number;
  tier?: Tier;
  tags: readonly string[];
  productsHeld: readonly ProductType[];
  intent: readonly IntentSignal[];
  /** The instant the intent window is counted back from: the event's that moved the score. */
  asOf: string;
}

const DAY_MS = 86_400_000;
const cny = (minor: number) => `${Math.round(minor / 100).toLocaleString('en-US')} CNY`;

/**
 * The lead score (DOMAIN.md: leads; issue 13, point 1), explained: AUM by band, the
 * HIGH_POTENTIAL tag, a wealth inquiry and repeated views of one product's page within the intent
 * window, and each product of the tier's cross-sell pattern the customer lacks — summed, capped
 * at 100. Pure: the same inputs give the same score and factors.
 */
export function scoreLead(inputs: LeadInputs, rules: LeadRules): LeadScore {
  const factors: LeadFactor[] = [];
  const band = rules.aumBands.find((b) => inputs.aumMinor >= b.atLeastMinor);
  if (band && band.points > 0) factors.push({ factor: 'AUM', points: band.points, detail: `AUM ${cny(inputs.aumMinor)} (≥ ${cny(band.atLeastMinor)})` });
  if (inputs.tags.includes('HIGH_POTENTIAL') && rules.highPotentialPoints > 0) factors.push({ factor: 'HIGH_POTENTIAL', points: rules.highPotentialPoints, detail: 'tagged HIGH_POTENTIAL: inflows well above what the tier holds' });
  const since = Date.parse(inputs.asOf) - rules.intentWindowDays * DAY_MS;
  const recent = inputs.intent.filter((s) => Date.parse(s.at) > since && Date.parse(s.at) <= Date.parse(inputs.asOf));
  const inquiry = recent.filter((s) => s.kind === 'WEALTH_INQUIRY').sort((a, b) => Date.parse(b.at) - Date.parse(a.at))[0];
  if (inquiry && rules.wealthInquiryPoints > 0) factors.push({ factor: 'WEALTH_INQUIRY', points: rules.wealthInquiryPoints, detail: `asked about ${inquiry.topic} on ${inquiry.at.slice(0, 10)}` });
  const views = new Map<string, number>();
  for (const s of recent) if (s.kind === 'PAGE_VIEW') views.set(s.topic, (views.get(s.topic) ?? 0) + 1);
  const [topic, count] = [...views].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] ?? [];
  if (topic !== undefined && count !== undefined && count >= rules.pageViewsAtLeast && rules.pageViewPoints > 0) factors.push({ factor: 'PRODUCT_PAGE_VIEWS', points: rules.pageViewPoints, detail: `viewed ${topic} ${count} times in ${rules.intentWindowDays} days` });
  const pattern = inputs.tier ? rules.crossSell[inputs.tier] : [];
  const gaps = pattern.filter((p) => !inputs.productsHeld.includes(p));
  const gapPoints = Math.min(rules.gapMaxPoints, gaps.length * rules.gapPoints);
  if (gapPoints > 0) factors.push({ factor: 'PRODUCT_GAP', points: gapPoints, detail: `holds none of ${gaps.join(', ')} that most ${inputs.tier} customers hold` });
  factors.sort((a, b) => b.points - a.points);
  return { score: Math.min(100, factors.reduce((s, f) => s + f.points, 0)), factors };
}
