import { MinorUnits, OptionalMinorUnits } from '../../validation/fields';
import { TransactionFacts } from '../core-transactions/transaction-posted.event';

/** crm.transaction.v1 TransactionPosted: money in integer minor units, customerId in the envelope. */
export class CanonicalTransactionPosted extends TransactionFacts {
  @MinorUnits(1)
  amountMinor!: number;

  /** Present when currency is not CNY. */
  @OptionalMinorUnits(0)
  amountCnyMinor?: number;

  @OptionalMinorUnits()
  balanceAfterMinor?: number;
}
