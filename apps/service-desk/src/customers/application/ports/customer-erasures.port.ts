/**
 * Customers erased (CustomerErased reached the service desk), and those whose tickets still
 * hold what they said. Marking is idempotent and moves a customer back to pending: a ticket
 * opened while an erasure was being cleared is cleared by the next pass.
 */
export abstract class CustomerErasures {
  /** Marks the customers erased, and their tickets as to clear (again): each mark comes after every earlier one. */
  abstract mark(customerIds: readonly string[]): Promise<void>;
  /** Which of these customers were erased. */
  abstract erased(customerIds: readonly string[]): Promise<Set<string>>;
  /** Customers whose tickets are to clear, the longest waiting first, with their mark. */
  abstract pending(limit: number): Promise<Array<{ customerId: string; markedAt: number }>>;
  /** Their tickets are cleared as they were marked: each leaves the pending set unless marked again since. */
  abstract cleared(customers: readonly { customerId: string; markedAt: number }[]): Promise<void>;
}
