/** Per-customer data keys (ARCHITECTURE.md principle 7; STYLE.md rule 3: the port of `DataKeyStore`). */
export abstract class DataKeys {
  /** The customers' keys, creating those that do not exist yet; `at` is when a new key is recorded as created. */
  abstract keysFor(customerIds: readonly string[], at: Date): Promise<Map<string, Buffer>>;
  /** The key if it exists (undefined after erasure). */
  abstract keyOf(customerId: string): Promise<Buffer | undefined>;
  /** Drops keys from this instance's memory (another instance erased the customer). */
  abstract forget(customerIds: readonly string[]): void;
  /** Crypto-shredding: nothing sealed with these keys opens again. */
  abstract destroy(customerIds: readonly string[]): Promise<void>;
}
