import { LIFECYCLE_STAGES, LifecycleStage, isOffsetDateTime, MARKETING_CHANNELS, MarketingChannel, PRODUCT_TYPES, ProductType, RISK_TOLERANCES, RiskTolerance, TIERS, Tier, TRANSACTION_CATEGORIES, TransactionCategory } from '@meridian/events';
import { DEFAULT_RULE_LIMITS, ruleQueryProblems } from '@meridian/events/rules';
import { CAMPAIGN_FACT_FIELDS } from './campaign-facts';
import { CampaignRules } from './campaign-rules';

/** What sets a campaign off for one customer (DOMAIN.md triggers), or a scheduled batch audience. */
export type CampaignTrigger =
  | { kind: 'SEGMENT_ENTERED'; segmentId: string }
  | { kind: 'TAG_ADDED'; tag: string }
  | { kind: 'LIFECYCLE_CHANGED'; to: LifecycleStage }
  | { kind: 'TIER_CHANGED'; to?: Tier }
  | { kind: 'CHURN_RISK_HIGH' }
  | { kind: 'PRODUCT_OPENED'; productType: ProductType }
  | { kind: 'TRANSACTION'; category: TransactionCategory; minAmountMinor?: number }
  | { kind: 'SCHEDULED'; at: string };

/** A message's copy for one channel and locale; variants are chosen by rule (话术), the first that holds, else the body. */
export interface CampaignTemplate {
  templateId: string;
  channel: MarketingChannel;
  locale: 'zh-CN' | 'en';
  body: string;
  variants?: Array<{ variantId: string; when: Record<string, unknown>; body: string }>;
}

/** What the campaign wants to happen: its conversion. */
export type CampaignGoal = { kind: 'PRODUCT_OPENED'; productType: ProductType } | { kind: 'TRANSACTION'; category: TransactionCategory } | { kind: 'AUM_INCREASE'; minMinor: number };

/** A campaign as a marketer defines it (issue 12, point 1); what a bank's rules default is optional. */
export interface CampaignDefinition {
  name: string;
  objective: string;
  trigger: CampaignTrigger;
  /** A Mongo-style rule over the customer's features (ADR 0004); absent: everyone the trigger names. */
  audience?: Record<string, unknown>;
  /** Most preferred first. */
  channels: MarketingChannel[];
  templates: CampaignTemplate[];
  offer?: { productType: ProductType; riskLevel?: RiskTolerance; valueMinor?: number };
  startAt: string;
  endAt?: string;
  budgetMinor?: number;
  unitCostMinor: Partial<Record<MarketingChannel, number>>;
  controlShare?: number;
  cap?: { messages: number; days: number };
  goal: CampaignGoal;
  attributionWindowDays?: number;
  targetConversionRate: number;
}

/** One broken rule of a definition: the field (a path, e.g. `templates[1].channel`), the rule's name, and what it asks. */
export interface DefinitionProblem {
  field: string;
  rule: string;
  message: string;
}

/** The variables a template may use: what a message may say of the customer and the offer (no PII beyond the greeting). */
export const TEMPLATE_VARIABLES = ['greeting', 'productName', 'offerValue', 'rmName', 'branchName', 'expiresOn'] as const;

/** Products whose offers are investments: each carries its risk level R1–R5 (DOMAIN.md suitability). */
export const INVESTMENT_PRODUCTS: readonly ProductType[] = ['WEALTH', 'FUND'];

const LOCALES = ['zh-CN', 'en'];
/** A template variable where a body names it (`{{ greeting }}`); the renderer fills the same. */
export const TEMPLATE_VARIABLE = /\{\{\s*([A-Za-z]+)\s*\}\}/g;
const isInstant = isOffsetDateTime;
/** The longest window a cap may count over: what the decisions are remembered for is longer. */
const MAX_CAP_DAYS = 365;
const whole = (n: unknown, min: number) => typeof n === 'number' && Number.isSafeInteger(n) && n >= min;
const duplicates = (xs: readonly string[]) => xs.filter((x, i) => xs.indexOf(x) !== i);

/**
 * What is wrong with a definition, beyond its fields' shapes (the API's DTO checks those): the
 * rules across fields and against the bank's campaign rules, each naming the field — dates in
 * order, channels known and once each, a template for every channel, only known variables, an
 * investment offer with its risk level, a budget with the unit cost of every channel, a control
 * share and cap within the bank's, a target conversion rate that is a rate; the audience rule
 * and the variants' `when` rules in the rule language (ADR 0004) over the campaign's facts,
 * each problem at its path (`audience.aumMinor.$gte`).
 */
export function definitionProblems(d: CampaignDefinition, rules: CampaignRules): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const problem = (field: string, rule: string, message: string) => problems.push({ field, rule, message });
  if (!isInstant(d.startAt)) problem('startAt', 'isOffsetDateTime', 'startAt must be an ISO-8601 date-time with an offset');
  if (d.endAt !== undefined && (!isInstant(d.endAt) || Date.parse(d.endAt) <= Date.parse(d.startAt))) problem('endAt', 'isAfterStart', 'endAt must be a date-time with an offset after startAt');
  problems.push(...triggerProblems(d.trigger));
  if (d.trigger.kind === 'SCHEDULED' && isInstant(d.trigger.at) && isInstant(d.startAt) && (Date.parse(d.trigger.at) < Date.parse(d.startAt) || (d.endAt !== undefined && Date.parse(d.trigger.at) >= Date.parse(d.endAt)))) {
    problem('trigger.at', 'isWithinDates', 'trigger.at must be at or after startAt and before endAt: the batch runs while the campaign does');
  }
  if (d.audience !== undefined) problems.push(...ruleProblems(d.audience, 'audience'));
  if (!d.channels.length || d.channels.some((c) => !MARKETING_CHANNELS.includes(c)) || duplicates(d.channels).length) {
    problem('channels', 'isChannelList', `channels must name at least one of ${MARKETING_CHANNELS.join(', ')}, each once, most preferred first`);
  }
  problems.push(...templateProblems(d));
  if (d.offer) {
    if (!PRODUCT_TYPES.includes(d.offer.productType)) problem('offer.productType', 'isProductType', `offer.productType must be one of ${PRODUCT_TYPES.join(', ')}`);
    if (d.offer.riskLevel !== undefined && !RISK_TOLERANCES.includes(d.offer.riskLevel)) problem('offer.riskLevel', 'isRiskLevel', `offer.riskLevel must be one of ${RISK_TOLERANCES.join(', ')}`);
    else if (d.offer.riskLevel === undefined && INVESTMENT_PRODUCTS.includes(d.offer.productType)) problem('offer.riskLevel', 'hasRiskLevel', `an offer of ${d.offer.productType} is an investment: it must carry its risk level (R1–R5)`);
    if (d.offer.valueMinor !== undefined && !whole(d.offer.valueMinor, 0)) problem('offer.valueMinor', 'isMinorUnits', 'offer.valueMinor must be whole minor units, 0 or more');
  }
  if (d.budgetMinor !== undefined && !whole(d.budgetMinor, 0)) problem('budgetMinor', 'isMinorUnits', 'budgetMinor must be whole minor units, 0 or more');
  for (const c of d.channels) {
    const cost = d.unitCostMinor[c];
    if (cost === undefined ? d.budgetMinor !== undefined : !whole(cost, 0)) problem(`unitCostMinor.${c}`, 'hasUnitCost', `unitCostMinor.${c} must be whole minor units, 0 or more (a budget is spent by each channel's unit cost)`);
  }
  if (d.controlShare !== undefined && !(Number.isFinite(d.controlShare) && d.controlShare >= 0 && d.controlShare <= rules.maxControlShare)) {
    problem('controlShare', 'isControlShare', `controlShare must be between 0 and ${rules.maxControlShare}`);
  }
  if (d.cap !== undefined) {
    const bank = rules.campaignCap;
    if (!whole(d.cap.messages, 1) || !whole(d.cap.days, 1) || d.cap.days > MAX_CAP_DAYS) problem('cap', 'isCap', `cap needs whole messages above 0 and whole days from 1 to ${MAX_CAP_DAYS}`);
    else if (d.cap.messages / d.cap.days > bank.messages / bank.days || d.cap.messages > bank.messages) problem('cap', 'isWithinBankCap', `cap must be no looser than the bank's: ${bank.messages} per ${bank.days} days`);
  }
  problems.push(...goalProblems(d.goal));
  if (d.attributionWindowDays !== undefined && !(whole(d.attributionWindowDays, 1) && d.attributionWindowDays <= 365)) problem('attributionWindowDays', 'isWindow', 'attributionWindowDays must be a whole number of days from 1 to 365');
  if (!(Number.isFinite(d.targetConversionRate) && d.targetConversionRate > 0 && d.targetConversionRate <= 1)) problem('targetConversionRate', 'isRate', 'targetConversionRate must be above 0 and at most 1');
  return problems;
}

/** A rule's problems, each at its path under `field` (the rule language names them `rule.<path>`). */
function ruleProblems(rule: unknown, field: string): DefinitionProblem[] {
  return ruleQueryProblems(rule, DEFAULT_RULE_LIMITS, CAMPAIGN_FACT_FIELDS).map((p) => ({ field: field + p.path.slice('rule'.length), rule: p.rule, message: p.message }));
}

function triggerProblems(t: CampaignTrigger): DefinitionProblem[] {
  const bad = (field: string, rule: string, message: string) => [{ field: `trigger.${field}`, rule, message }];
  switch (t.kind) {
    case 'SEGMENT_ENTERED':
      if (typeof t.segmentId === 'string' && t.segmentId.startsWith('tag:')) return bad('segmentId', 'isSegmentId', 'a catalogue tag is entered as TAG_ADDED with its code, not as a segment');
      return t.segmentId ? [] : bad('segmentId', 'isDefined', 'a SEGMENT_ENTERED trigger names its segmentId');
    case 'TAG_ADDED':
      return t.tag ? [] : bad('tag', 'isDefined', 'a TAG_ADDED trigger names its tag');
    case 'LIFECYCLE_CHANGED':
      return LIFECYCLE_STAGES.includes(t.to) ? [] : bad('to', 'isLifecycleStage', `trigger.to must be one of ${LIFECYCLE_STAGES.join(', ')}`);
    case 'TIER_CHANGED':
      return t.to === undefined || TIERS.includes(t.to) ? [] : bad('to', 'isTier', `trigger.to must be one of ${TIERS.join(', ')}`);
    case 'CHURN_RISK_HIGH':
      return [];
    case 'PRODUCT_OPENED':
      return PRODUCT_TYPES.includes(t.productType) ? [] : bad('productType', 'isProductType', `trigger.productType must be one of ${PRODUCT_TYPES.join(', ')}`);
    case 'TRANSACTION':
      if (!TRANSACTION_CATEGORIES.includes(t.category)) return bad('category', 'isTransactionCategory', `trigger.category must be one of ${TRANSACTION_CATEGORIES.join(', ')}`);
      return t.minAmountMinor === undefined || whole(t.minAmountMinor, 0) ? [] : bad('minAmountMinor', 'isMinorUnits', 'trigger.minAmountMinor must be whole minor units, 0 or more');
    case 'SCHEDULED':
      return isInstant(t.at) ? [] : bad('at', 'isOffsetDateTime', 'trigger.at must be an ISO-8601 date-time with an offset');
    default:
      return bad('kind', 'isTriggerKind', 'trigger.kind must be SEGMENT_ENTERED, TAG_ADDED, LIFECYCLE_CHANGED, TIER_CHANGED, CHURN_RISK_HIGH, PRODUCT_OPENED, TRANSACTION or SCHEDULED');
  }
}

function templateProblems(d: CampaignDefinition): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const ids = d.templates.map((t) => t.templateId);
  for (const id of new Set(duplicates(ids))) problems.push({ field: 'templates', rule: 'isUniqueTemplateId', message: `templateId ${id} is used twice` });
  d.templates.forEach((t, i) => {
    const at = `templates[${i}]`;
    if (!d.channels.includes(t.channel)) problems.push({ field: `${at}.channel`, rule: 'isCampaignChannel', message: `${at}.channel must be one of the campaign's channels (${d.channels.join(', ')})` });
    if (!LOCALES.includes(t.locale)) problems.push({ field: `${at}.locale`, rule: 'isLocale', message: `${at}.locale must be zh-CN or en` });
    const bodies: Array<[string, string]> = [[`${at}.body`, t.body], ...(t.variants ?? []).map((v, j): [string, string] => [`${at}.variants[${j}].body`, v.body])];
    for (const [field, body] of bodies) {
      const unknown = [...body.matchAll(TEMPLATE_VARIABLE)].map((m) => m[1]).filter((v) => !(TEMPLATE_VARIABLES as readonly string[]).includes(v));
      if (unknown.length) problems.push({ field, rule: 'isKnownVariable', message: `${field} uses variables no message may carry (${[...new Set(unknown)].join(', ')}); known: ${TEMPLATE_VARIABLES.join(', ')}` });
      // A variable may render empty (a customer with no RM): the copy must say something without them.
      if (!body.replace(TEMPLATE_VARIABLE, '').trim()) problems.push({ field, rule: 'hasText', message: `${field} must say something beside its variables (a variable can render empty)` });
    }
    (t.variants ?? []).forEach((v, j) => problems.push(...ruleProblems(v.when, `${at}.variants[${j}].when`)));
    for (const id of new Set(duplicates((t.variants ?? []).map((v) => v.variantId)))) problems.push({ field: `${at}.variants`, rule: 'isUniqueVariantId', message: `variantId ${id} is used twice in ${at}` });
  });
  for (const c of d.channels) {
    if (!d.templates.some((t) => t.channel === c)) problems.push({ field: 'templates', rule: 'hasTemplateForEachChannel', message: `channel ${c} has no template` });
  }
  return problems;
}

function goalProblems(g: CampaignGoal): DefinitionProblem[] {
  if (g.kind === 'PRODUCT_OPENED') return PRODUCT_TYPES.includes(g.productType) ? [] : [{ field: 'goal.productType', rule: 'isProductType', message: `goal.productType must be one of ${PRODUCT_TYPES.join(', ')}` }];
  if (g.kind === 'TRANSACTION') return TRANSACTION_CATEGORIES.includes(g.category) ? [] : [{ field: 'goal.category', rule: 'isTransactionCategory', message: `goal.category must be one of ${TRANSACTION_CATEGORIES.join(', ')}` }];
  if (g.kind === 'AUM_INCREASE') return whole(g.minMinor, 1) ? [] : [{ field: 'goal.minMinor', rule: 'isMinorUnits', message: 'goal.minMinor must be whole minor units above 0' }];
  return [{ field: 'goal.kind', rule: 'isGoalKind', message: 'goal.kind must be PRODUCT_OPENED, TRANSACTION or AUM_INCREASE' }];
}
