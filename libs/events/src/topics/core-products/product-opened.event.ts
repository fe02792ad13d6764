import { IsOffsetDateTime } from '../../validation/rules';
import { ProductReferenced } from './product-reference';

/** core.products.v1 and crm.product.v1. */
export class ProductOpened extends ProductReferenced {
  @IsOffsetDateTime()
  openedAt!: string;
}
