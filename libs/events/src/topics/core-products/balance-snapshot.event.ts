import { IsCurrencyCode, IsDecimalAmount } from '../../validation/rules';
import { ProductReferenced } from './product-reference';

/** core.products.v1: balance as a decimal string; for loans and cards the outstanding amount. */
export class BalanceSnapshot extends ProductReferenced {
  @IsDecimalAmount()
  balance!: string;

  @IsCurrencyCode()
  currency!: string;
}
