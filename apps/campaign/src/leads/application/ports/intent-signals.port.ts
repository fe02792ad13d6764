import type { IntentSignal } from '../../domain/intent-signal';

/** Each customer's recent intent signals (Redis, a sorted set by time, kept for the intent window). */
export abstract class IntentSignals {
  abstract record(signals: ReadonlyArray<IntentSignal & { customerId: string }>, keepDays: number): Promise<void>;
  abstract of(customerIds: readonly string[]): Promise<Map<string, IntentSignal[]>>;
}
