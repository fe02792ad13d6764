import type { CampaignRules } from './campaign-rules';

/** sent (requested of the channels), dispatched (handed to the channel's gateway or an RM), failed (given up on: CampaignDeliveryFailed), then what the channels reported. */
export const FUNNEL_STEPS = ['sent', 'dispatched', 'failed', 'delivered', 'opened', 'clicked', 'optedOut', 'converted'] as const;
export type Funnel = Record<(typeof FUNNEL_STEPS)[number], number>;

export interface StatsView {
  /** Treatment messages requested of the channels, then what the channels reported of them. */
  funnel: Funnel;
  /** Control customers: eligible for a message, held out, tracked. */
  control: number;
  /** Messages postponed by quiet hours (each counted once; its final outcome is counted too, when taken at the window's end). */
  postponed: number;
  suppressed: Record<string, number>;
  costMinor: number;
  byChannel: Record<string, Funnel>;
  /** By `<templateId>/<variantId>` (`default`: the template's own body). */
  byVariant: Record<string, Funnel>;
  /** Treatment against control over the attribution window: what the campaign changed in the business. */
  outcomes: Outcomes;
  suggestions: string[];
}

export interface ArmOutcome {
  customers: number;
  converted: number;
  conversionRate?: number;
  /** Net new AUM of the arm's customers since their decision, CNY minor units. */
  netNewAumMinor: number;
  productsOpened: number;
}

export interface Outcomes {
  treatment: ArmOutcome;
  control: ArmOutcome;
  /** Treatment rate − control rate, with its 95 % confidence interval (normal approximation); absent without both arms. */
  uplift?: { value: number; ci95: [number, number] };
  /** The value credited to this campaign's messages (last touch). */
  attributedValueMinor: number;
  /** What treatment added over control, scaled to the treated customers: AUM and products. */
  incrementalAumMinor?: number;
  incrementalProducts?: number;
  costMinor: number;
  /** (incremental AUM − cost) / cost: the return on what the campaign spent, in new AUM. */
  roi?: number;
}

const under = (counters: Readonly<Record<string, number>>, prefix: string) =>
  Object.fromEntries(Object.entries(counters).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));

function funnelsBy(counters: Readonly<Record<string, number>>, dimension: 'channel' | 'variant'): Record<string, Funnel> {
  const out: Record<string, Funnel> = {};
  for (const step of FUNNEL_STEPS) {
    for (const [key, n] of Object.entries(under(counters, `${step}:${dimension}:`))) {
      out[key] ??= Object.fromEntries(FUNNEL_STEPS.map((s) => [s, 0])) as Funnel;
      out[key][step] = n;
    }
  }
  return out;
}

const Z95 = 1.959964;

function arm(counters: Readonly<Record<string, number>>, name: 'TREATMENT' | 'CONTROL', customers: number): ArmOutcome {
  const converted = counters[`converted:${name}`] ?? 0;
  return { customers, converted, ...(customers > 0 && { conversionRate: converted / customers }), netNewAumMinor: counters[`aum:${name}`] ?? 0, productsOpened: counters[`products:${name}`] ?? 0 };
}

/** DOMAIN.md ROI: against business outcomes — net new AUM and products opened, treatment vs control — minus cost. */
export function outcomesOf(counters: Readonly<Record<string, number>>): Outcomes {
  const treatment = arm(counters, 'TREATMENT', counters.sent ?? 0);
  const control = arm(counters, 'CONTROL', counters.control ?? 0);
  const costMinor = counters.costMinor ?? 0;
  const out: Outcomes = { treatment, control, attributedValueMinor: counters.attributedValueMinor ?? 0, costMinor };
  if (treatment.conversionRate === undefined || control.conversionRate === undefined) return out;
  const [pt, pc] = [treatment.conversionRate, control.conversionRate];
  const se = Math.sqrt((pt * (1 - pt)) / treatment.customers + (pc * (1 - pc)) / control.customers);
  const scaled = (t: number, c: number) => Math.round((t / treatment.customers - c / control.customers) * treatment.customers);
  const incrementalAumMinor = scaled(treatment.netNewAumMinor, control.netNewAumMinor);
  return {
    ...out,
    uplift: { value: pt - pc, ci95: [pt - pc - Z95 * se, pt - pc + Z95 * se] },
    incrementalAumMinor,
    incrementalProducts: scaled(treatment.productsOpened, control.productsOpened),
    ...(costMinor > 0 && { roi: (incrementalAumMinor - costMinor) / costMinor }),
  };
}

type SuggestionRules = Pick<CampaignRules, 'retireBelowOpenRate' | 'retireMinDeliveries' | 'channelSuggestionRatio' | 'channelHistoryMinDeliveries'>;

/**
 * DOMAIN.md's suggestions: a channel converting at ≥ 2× another (each with enough messages to
 * judge) is to be preferred; a template or variant whose open rate is below the bank's floor
 * over enough deliveries is flagged for retirement (淘汰低效渠道/模板).
 */
function suggestionsOf(byChannel: Record<string, Funnel>, byVariant: Record<string, Funnel>, rules: SuggestionRules): string[] {
  const rated = Object.entries(byChannel).filter(([, f]) => f.sent >= rules.channelHistoryMinDeliveries).map(([c, f]) => ({ c, rate: f.converted / f.sent }));
  const best = rated.reduce<(typeof rated)[number] | undefined>((b, r) => (!b || r.rate > b.rate ? r : b), undefined);
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const channels = rated
    .filter((r) => best && r !== best && best.rate > 0 && best.rate >= rules.channelSuggestionRatio * r.rate)
    .map((r) => `prefer ${best?.c} to ${r.c}: it converts ${pct(best?.rate ?? 0)} against ${pct(r.rate)}`);
  const retire = Object.entries(byVariant)
    .filter(([, f]) => f.delivered >= rules.retireMinDeliveries && f.opened / f.delivered < rules.retireBelowOpenRate)
    .map(([variant, f]) => `retire ${variant}: opened by ${((100 * f.opened) / f.delivered).toFixed(1)} % of ${f.delivered} deliveries, below ${(100 * rules.retireBelowOpenRate).toFixed(0)} %`);
  return [...channels, ...retire];
}

/** A campaign's stats from its counters (kept exactly once a decision, a response and a conversion; never a scan of messages). */
export function statsOf(counters: Readonly<Record<string, number>>, rules: SuggestionRules): StatsView {
  const funnel = Object.fromEntries(FUNNEL_STEPS.map((s) => [s, (s === 'converted' ? counters['converted:TREATMENT'] : counters[s]) ?? 0])) as Funnel;
  const byChannel = funnelsBy(counters, 'channel');
  const byVariant = funnelsBy(counters, 'variant');
  return {
    funnel,
    control: counters.control ?? 0,
    postponed: counters.postponed ?? 0,
    suppressed: under(counters, 'suppressed:'),
    costMinor: counters.costMinor ?? 0,
    byChannel,
    byVariant,
    outcomes: outcomesOf(counters),
    suggestions: suggestionsOf(byChannel, byVariant, rules),
  };
}
