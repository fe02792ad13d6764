import type { ProductType, TransactionCategory } from '@meridian/events';
import type { CampaignGoal } from './campaign-definition';

/** Where a customer stands in a campaign: treated (a message sent) or held out, since when, and their AUM then. */
export interface ArmTouch {
  campaignId: string;
  arm: 'TREATMENT' | 'CONTROL';
  /** The decision's instant, ms. */
  at: number;
  messageId: string;
  channel: string;
  /** `<templateId>/<variantId>`. */
  variant: string;
  /** The customer's AUM at the decision, CNY minor units (AUM_INCREASE goals, net new AUM). */
  aumMinor: number;
  /** The customer's tier at the decision (the channel history a conversion counts under); absent when none was known. */
  tier?: string;
}

/** What may convert a customer: a product opened, a transaction, or their profile's AUM now (each a goal event). */
export type GoalEvent = { eventId: string; customerId: string; at: string } & (
  | { kind: 'PRODUCT_OPENED'; productType: ProductType }
  | { kind: 'TRANSACTION'; category: TransactionCategory; amountMinor: number }
  | { kind: 'AUM'; aumMinor: number; version: number }
);

/** What a campaign's goal asks, and what its conversion is worth. */
export interface CampaignGoalTerms {
  goal: CampaignGoal;
  windowDays: number;
  /** The offer's value: what a PRODUCT_OPENED conversion is worth. */
  offerValueMinor: number;
}

export interface Conversion {
  touch: ArmTouch;
  valueMinor: number;
}

const DAY_MS = 86_400_000;

/** Is the event inside the touch's attribution window (after the decision, within the window's days)? */
export const withinWindow = (touch: ArmTouch, eventAt: number, windowDays: number) => eventAt >= touch.at && eventAt <= touch.at + windowDays * DAY_MS;

/** The conversion a goal event makes of a touch, with its value, or none. */
export function conversionOf(event: GoalEvent, touch: ArmTouch, terms: CampaignGoalTerms): Conversion | undefined {
  if (!withinWindow(touch, Date.parse(event.at), terms.windowDays)) return undefined;
  const g = terms.goal;
  if (g.kind === 'PRODUCT_OPENED' && event.kind === 'PRODUCT_OPENED' && event.productType === g.productType) return { touch, valueMinor: terms.offerValueMinor };
  if (g.kind === 'TRANSACTION' && event.kind === 'TRANSACTION' && event.category === g.category) return { touch, valueMinor: event.amountMinor };
  if (g.kind === 'AUM_INCREASE' && event.kind === 'AUM' && event.aumMinor - touch.aumMinor >= g.minMinor) return { touch, valueMinor: event.aumMinor - touch.aumMinor };
  return undefined;
}

/**
 * DOMAIN.md attribution: every campaign the event converts the customer for (each counts its own
 * arm's conversions, treatment or control, for its uplift), and the one it is credited to — the
 * last message before it (last touch) among the treated ones.
 */
export function attribute(event: GoalEvent, touches: readonly ArmTouch[], termsOf: (campaignId: string) => CampaignGoalTerms | undefined): { conversions: Conversion[]; credited?: Conversion } {
  const conversions = touches.flatMap((t) => {
    const terms = termsOf(t.campaignId);
    const c = terms && conversionOf(event, t, terms);
    return c ? [c] : [];
  });
  const credited = conversions.filter((c) => c.touch.arm === 'TREATMENT').reduce<Conversion | undefined>((last, c) => (!last || c.touch.at > last.touch.at ? c : last), undefined);
  return { conversions, ...(credited && { credited }) };
}
