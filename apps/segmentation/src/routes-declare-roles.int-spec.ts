import { describeRouteRoles } from '@meridian/shared/testing';
import { AppModule } from './app.module';

describeRouteRoles('segmentation', AppModule, [
  'GET /v1/tags',
  'POST /v1/segments',
  'GET /v1/segments',
  'GET /v1/segments/:segmentId',
  'PUT /v1/segments/:segmentId',
  'DELETE /v1/segments/:segmentId',
  'GET /v1/segments/:segmentId/backfill',
  'GET /v1/segments/:segmentId/members',
  'GET /v1/customers/:customerId/segments',
]);
