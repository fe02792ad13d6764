import { IsISO31661Alpha2, IsOptional, Matches } from 'class-validator';
import {
  PRODUCT_TYPES,
  ProductType,
  TRANSACTION_CATEGORIES,
  TRANSACTION_CHANNELS,
  TRANSACTION_DIRECTIONS,
  TransactionCategory,
  TransactionChannel,
  TransactionDirection,
} from '../../enums';
import { OptionalString, RequiredEnum, RequiredString } from '../../validation/fields';
import { IsCurrencyCode, IsDecimalAmount, IsOffsetDateTime } from '../../validation/rules';
import { SourceReferenced } from '../source-reference';

/** Fields every TransactionPosted carries, inbound or canonical. */
export abstract class TransactionFacts extends SourceReferenced {
  @RequiredString(128)
  transactionId!: string;

  @RequiredString(128)
  productId!: string;

  @RequiredEnum(PRODUCT_TYPES)
  productType!: ProductType;

  @RequiredEnum(TRANSACTION_DIRECTIONS)
  direction!: TransactionDirection;

  @IsCurrencyCode()
  currency!: string;

  @RequiredEnum(TRANSACTION_CHANNELS)
  channel!: TransactionChannel;

  @RequiredEnum(TRANSACTION_CATEGORIES)
  category!: TransactionCategory;

  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'mcc must be a 4-digit merchant category code' })
  mcc?: string;

  @OptionalString(200)
  merchantName?: string;

  @IsOptional()
  @IsISO31661Alpha2({ message: 'counterpartyCountry must be an ISO-3166 alpha-2 code' })
  counterpartyCountry?: string;

  /** When the core system booked it; occurredAt of the envelope when absent. */
  @IsOptional()
  @IsOffsetDateTime()
  bookedAt?: string;
}

/** core.transactions.v1: amounts as decimal strings. */
export class TransactionPosted extends TransactionFacts {
  @IsDecimalAmount()
  amount!: string;

  /** Balance after posting; may be zero. */
  @IsOptional()
  @Matches(/^-?(0|[1-9]\d{0,17})(\.\d{1,2})?$/, {
    message: 'balanceAfter must be a decimal string with at most 2 decimals',
  })
  balanceAfter?: string;
}
