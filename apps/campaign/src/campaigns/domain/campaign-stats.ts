import type { CampaignRules } from './campaign-rules';

export const FUNNEL_STEPS = ['sent', 'delivered', 'opened', 'clicked', 'optedOut'] as const;
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
  suggestions: string[];
}

const under = (counters: Readonly<Record<string, number>>, prefix: string) =>
  Object.fromEntries(Object.entries(counters).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));

function funnelsBy(counters: Readonly<Record<string, number>>, dimension: 'channel' | 'variant'): Record<string, Funnel> {
  const out: Record<string, Funnel> = {};
  for (const step of FUNNEL_STEPS) {
    for (const [key, n] of Object.entries(under(counters, `${step}:${dimension}:`))) {
      out[key] ??= { sent: 0, delivered: 0, opened: 0, clicked: 0, optedOut: 0 };
      out[key][step] = n;
    }
  }
  return out;
}

/**
 * A campaign's stats from its counters (kept exactly once a decision and a response, never a
 * scan of messages), with the suggestions DOMAIN.md names that they can support: a template or
 * variant whose open rate is below the bank's floor over enough deliveries is flagged for
 * retirement (淘汰低效模板).
 */
export function statsOf(counters: Readonly<Record<string, number>>, rules: Pick<CampaignRules, 'retireBelowOpenRate' | 'retireMinDeliveries'>): StatsView {
  const funnel = Object.fromEntries(FUNNEL_STEPS.map((s) => [s, counters[s] ?? 0])) as Funnel;
  const byVariant = funnelsBy(counters, 'variant');
  const suggestions = Object.entries(byVariant)
    .filter(([, f]) => f.delivered >= rules.retireMinDeliveries && f.opened / f.delivered < rules.retireBelowOpenRate)
    .map(([variant, f]) => `retire ${variant}: opened by ${((100 * f.opened) / f.delivered).toFixed(1)} % of ${f.delivered} deliveries, below ${(100 * rules.retireBelowOpenRate).toFixed(0)} %`);
  return { funnel, control: counters.control ?? 0, postponed: counters.postponed ?? 0, suppressed: under(counters, 'suppressed:'), costMinor: counters.costMinor ?? 0, byChannel: funnelsBy(counters, 'channel'), byVariant, suggestions };
}
