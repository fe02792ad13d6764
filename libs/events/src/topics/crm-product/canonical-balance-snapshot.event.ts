import { IsCurrencyCode } from '../../validation/rules';
import { MinorUnits, OptionalMinorUnits } from '../../validation/fields';
import { ProductReferenced } from '../core-products/product-reference';

/** crm.product.v1 BalanceSnapshot: money in integer minor units (CONTRACTS.md §1, §3). */
export class CanonicalBalanceSnapshot extends ProductReferenced {
  @MinorUnits(0)
  balanceMinor!: number;

  @IsCurrencyCode()
  currency!: string;

  /** Present when currency is not CNY: the CNY equivalent at ingest's FX table. */
  @OptionalMinorUnits(0)
  balanceCnyMinor?: number;
}
