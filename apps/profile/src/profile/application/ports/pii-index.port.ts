/** Blind-index look-up keys → customer (STYLE.md rule 3: the port; the adapter is in infrastructure/). */
export abstract class PiiIndex {
  /** Points look-up keys at a customer, and forgets keys that no longer are theirs (only while they still point at them). */
  abstract indexPii(customerId: string, keys: readonly string[], forget: readonly string[]): Promise<void>;
  /** Every look-up key of these customers (erasure: a merged customer's keys go too). */
  abstract forgetPiiOf(customerIds: readonly string[]): Promise<void>;
  abstract findByPii(key: string): Promise<string | undefined>;
}
