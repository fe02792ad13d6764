import { PRODUCT_TYPES, ProductType } from '../../enums';
import { RequiredEnum, RequiredString } from '../../validation/fields';
import { SourceReferenced } from '../source-reference';

export abstract class ProductReferenced extends SourceReferenced {
  @RequiredString(128)
  productId!: string;

  @RequiredEnum(PRODUCT_TYPES)
  productType!: ProductType;

  @RequiredString(64)
  productCode!: string;
}
