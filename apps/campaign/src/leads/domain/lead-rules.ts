import type { ProductType, Tier } from '@meridian/events';

/**
 * The numbers of DOMAIN.md's leads in one place (issue 13, points 1–2): each bank sets its own,
 * checked at start (leadRuleProblems). A score is 0–100: the sum of its factors, capped.
 */
export interface LeadRules {
  /** AUM bands, highest first: a customer's AUM earns the points of the first band it reaches. */
  aumBands: ReadonlyArray<{ atLeastMinor: number; points: number }>;
  /** The "hidden high net worth" tag (DOMAIN.md: HIGH_POTENTIAL). */
  highPotentialPoints: number;
  /** A wealth INQUIRY (its topic or text names a wealth product) within `intentWindowDays`. */
  wealthInquiryPoints: number;
  /** Repeated views of one product's page: `pageViewsAtLeast` within `intentWindowDays`. */
  pageViewPoints: number;
  pageViewsAtLeast: number;
  intentWindowDays: number;
  /** Words that make an INQUIRY a wealth one (Chinese and English, matched in its topic and text, case-blind). */
  wealthWords: readonly string[];
  /** Each product of the tier's cross-sell pattern the customer lacks earns this, up to `gapMaxPoints`. */
  gapPoints: number;
  gapMaxPoints: number;
  /** The products most of a tier hold (segmentation's cross-sell analytics; DOMAIN.md: 产品交叉销售潜力). */
  crossSell: Readonly<Record<Tier, readonly ProductType[]>>;
  /** A customer whose score reaches this is a lead. */
  qualifyAt: number;
  /** A lead at or above this goes to the customer's own RM; below, to the branch's least-loaded RM with capacity (DOMAIN.md: 70). */
  ownRmAt: number;
  /** Open leads an RM holds at most, unless the roster gives them their own limit. */
  rmOpenLeadLimit: number;
  /** A lead closed (converted, declined) is not opened again for the customer for this many days. */
  reopenAfterDays: number;
}

export const DEFAULT_LEAD_RULES: LeadRules = {
  aumBands: [
    { atLeastMinor: 600_000_000, points: 35 },
    { atLeastMinor: 50_000_000, points: 25 },
    { atLeastMinor: 5_000_000, points: 10 },
  ],
  highPotentialPoints: 20,
  wealthInquiryPoints: 20,
  pageViewPoints: 15,
  pageViewsAtLeast: 3,
  intentWindowDays: 30,
  wealthWords: ['理财', '基金', '保险', '财富', '投资', 'wealth', 'fund', 'insurance', 'invest'],
  gapPoints: 5,
  gapMaxPoints: 15,
  crossSell: {
    DIAMOND: ['WEALTH', 'FUND', 'INSURANCE', 'DEPOSIT_TIME'],
    GOLD: ['WEALTH', 'FUND', 'DEPOSIT_TIME', 'CREDIT_CARD'],
    SILVER: ['DEPOSIT_TIME', 'FUND', 'CREDIT_CARD'],
    MASS: ['CREDIT_CARD', 'DEPOSIT_TIME'],
  },
  qualifyAt: 40,
  ownRmAt: 70,
  rmOpenLeadLimit: 30,
  reopenAfterDays: 90,
};

const whole = (n: number, max = 100) => Number.isSafeInteger(n) && n >= 0 && n <= max;

/** What is wrong with a bank's lead rules, one message a rule naming the field (empty when they hold together). */
export function leadRuleProblems(rules: LeadRules, knownProductTypes: readonly string[]): string[] {
  const problems: string[] = [];
  const bands = rules.aumBands;
  if (!bands.length || bands.some((b, i) => !Number.isSafeInteger(b.atLeastMinor) || b.atLeastMinor < 0 || !whole(b.points) || (i > 0 && (b.atLeastMinor >= bands[i - 1].atLeastMinor || b.points > bands[i - 1].points)))) {
    problems.push('aumBands must be highest first, each a whole AUM in minor units and 0–100 points, no band worth more than the one above it');
  }
  for (const field of ['highPotentialPoints', 'wealthInquiryPoints', 'pageViewPoints', 'gapPoints', 'gapMaxPoints'] as const) if (!whole(rules[field])) problems.push(`${field} must be whole points from 0 to 100`);
  if (!Number.isSafeInteger(rules.pageViewsAtLeast) || rules.pageViewsAtLeast < 1) problems.push('pageViewsAtLeast must be a whole number above 0');
  if (!Number.isSafeInteger(rules.intentWindowDays) || rules.intentWindowDays < 1 || rules.intentWindowDays > 365) problems.push('intentWindowDays must be a whole number of days from 1 to 365');
  if (!rules.wealthWords.length || rules.wealthWords.some((w) => !w.trim())) problems.push('wealthWords must name at least one word, none blank');
  const unknown = Object.values(rules.crossSell).flat().filter((t) => !knownProductTypes.includes(t));
  if (unknown.length) problems.push(`crossSell names product types that do not exist: ${[...new Set(unknown)].join(', ')}`);
  if (!whole(rules.qualifyAt) || !whole(rules.ownRmAt) || rules.qualifyAt < 1 || rules.ownRmAt < rules.qualifyAt) problems.push('qualifyAt and ownRmAt must be scores from 1 to 100, ownRmAt no lower than qualifyAt');
  if (!Number.isSafeInteger(rules.rmOpenLeadLimit) || rules.rmOpenLeadLimit < 1 || rules.rmOpenLeadLimit > 10_000) problems.push('rmOpenLeadLimit must be a whole number from 1 to 10,000');
  if (!Number.isSafeInteger(rules.reopenAfterDays) || rules.reopenAfterDays < 0 || rules.reopenAfterDays > 3_650) problems.push('reopenAfterDays must be a whole number of days from 0 to 3,650');
  return problems;
}
