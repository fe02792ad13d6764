import type { ArmTouch } from '../../domain/conversion';

/** One counter move of attribution, each applied once whatever the redeliveries. */
export type ConversionWrite =
  /** The message converted (once a message: the conversion rate's numerator, over messages sent or held); `credited`: the last touch, whose value is attributed. */
  | { kind: 'CONVERT'; touch: ArmTouch; eventId: string; valueMinor: number; credited: boolean; windowDays: number }
  /** A product opened by an arm's customer inside the window (ROI: products by treatment vs control). */
  | { kind: 'PRODUCT'; touch: ArmTouch; eventId: string; windowDays: number }
  /** The customer's AUM change since the message's decision, as of a profile version (ROI: net new AUM by arm). */
  | { kind: 'AUM'; touch: ArmTouch; version: number; deltaMinor: number; windowDays: number };

/** What a write did: counted now, the same event again (a redelivery: counted before), or a conversion an earlier event made. */
export type WriteResult = 'NEW' | 'AGAIN' | 'BEFORE';

/** The arms customers are in (the ledger keeps them as it decides) and attribution's counters, in Redis. */
export abstract class ConversionLedger {
  abstract touchesOf(customerIds: readonly string[]): Promise<Map<string, ArmTouch[]>>;
  abstract record(writes: readonly ConversionWrite[]): Promise<WriteResult[]>;
}
