/**
 * What campaign keeps of a customer beside their facts, forgotten when they are erased (PIPL:
 * erasure is final): their sends (the caps' counts), their latest touch of each campaign (the arm,
 * the AUM then: attribution's), their service cases and opt-outs. The campaigns' counters keep
 * their counts — no one's in particular.
 */
export abstract class CustomerTraces {
  abstract forget(customerIds: readonly string[]): Promise<void>;
}
