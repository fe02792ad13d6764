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
]);
