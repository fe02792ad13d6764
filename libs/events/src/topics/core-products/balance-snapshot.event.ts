import { IsBalanceAmount, IsCurrencyCode } from '../../validation/rules';
import { ProductReferenced } from './product-reference';

/** core.products.v1: balance as a decimal string (0 or more); for loans and cards the outstanding amount. */
export class BalanceSnapshot extends ProductReferenced {
  @IsBalanceAmount()
  balance!: string;

  @IsCurrencyCode()
  currency!: string;
}
