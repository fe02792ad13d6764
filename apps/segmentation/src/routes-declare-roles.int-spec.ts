import { describeRouteRoles } from '@meridian/shared/testing';
import { AppModule } from './app.module';

describeRouteRoles('segmentation', AppModule, [
  'GET /v1/tags',
  'GET /v1/analytics/tiers',
  'GET /v1/analytics/lifecycle',
  'GET /v1/analytics/value',
  'GET /v1/analytics/cross-sell',
  'GET /v1/analytics/clusters',
  'POST /v1/analytics/clusters/sample',
  'POST /v1/segments',
  'GET /v1/segments',
  'GET /v1/segments/:segmentId',
  'PUT /v1/segments/:segmentId',
  'DELETE /v1/segments/:segmentId',
  'GET /v1/segments/:segmentId/backfill',
  'GET /v1/segments/:segmentId/members',
  'GET /v1/customers/:customerId/segments',
]);
