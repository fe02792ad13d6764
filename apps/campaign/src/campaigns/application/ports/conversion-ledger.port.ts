import type { ArmTouch } from '../../domain/conversion';

/** One counter move of attribution, each applied once whatever the redeliveries. */
export type ConversionWrite =
  /** The customer converted for the campaign (once a customer: the conversion rate's numerator); `credited`: the last touch, whose value is attributed. */
  | { kind: 'CONVERT'; touch: ArmTouch; customerId: string; valueMinor: number; credited: boolean; windowDays: number }
  /** A product opened by an arm's customer inside the window (ROI: products by treatment vs control). */
  | { kind: 'PRODUCT'; touch: ArmTouch; eventId: string; windowDays: number }
  /** The customer's AUM change since the decision, as of a profile version (ROI: net new AUM by arm). */
  | { kind: 'AUM'; touch: ArmTouch; customerId: string; version: number; deltaMinor: number };

/** The arms customers are in (the ledger keeps them as it decides) and attribution's counters, in Redis. */
export abstract class ConversionLedger {
  abstract touchesOf(customerIds: readonly string[]): Promise<Map<string, ArmTouch[]>>;
  abstract record(writes: readonly ConversionWrite[]): Promise<void>;
}
