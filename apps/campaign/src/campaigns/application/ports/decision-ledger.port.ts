import type { SuppressionReason } from '@meridian/events';
import type { MessageCandidate } from '../../domain/message-plan';

/** One decision for the ledger to settle: what the plan said, and the numbers the shared checks need. */
export interface LedgerEntry {
  campaignId: string;
  customerId: string;
  messageId: string;
  /** IDLE: nothing to decide now (the campaign paused or ended, the trigger too old): only an earlier outcome is answered. */
  plan: { kind: 'IDLE' } | { kind: 'SUPPRESSED'; reason: SuppressionReason } | { kind: 'CANDIDATE'; candidate: MessageCandidate };
  customerCap: { messages: number; days: number };
  budgetMinor?: number;
  /** The customer's AUM at the decision (attribution measures what it became). */
  aumMinor?: number;
  /** The customer's tier at the decision: the channel history its deliveries and conversions count under. */
  tier?: string;
  now: Date;
  /** A postponed decision taken again at its window's end: it may replace the postponement. */
  retry: boolean;
}

/** What a message that goes (or would, for a control customer) says, and where. */
export interface MessageParts {
  channel: MessageCandidate['channel'];
  templateId: string;
  variantId: string;
  content: string;
}

/**
 * What a message became, and when it was decided (`at`: what its event says, the same on every
 * redelivery); `fresh` is false when an earlier delivery of the trigger decided it (its outcome stands).
 */
export type LedgerOutcome = { fresh: boolean; messageId: string; at: string } & (
  | ({ kind: 'SENT' | 'CONTROL' } & MessageParts)
  | { kind: 'SUPPRESSED'; reason: SuppressionReason }
  | { kind: 'POSTPONED'; until: string }
);

/**
 * The shared counters every decision goes through, atomically (Redis): the decision itself (a
 * redelivered trigger gets the first outcome), the customer's and the campaign's frequency
 * caps, the postponement, the budget, the control arm, and the stats' counters.
 */
export abstract class DecisionLedger {
  /** One answer an entry: its outcome, or undefined for an IDLE entry nothing was decided for before. */
  abstract settle(entries: readonly LedgerEntry[]): Promise<Array<LedgerOutcome | undefined>>;
}
