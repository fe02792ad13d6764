import { describeRouteRoles } from '@meridian/shared/testing';
import { AppModule } from './app.module';

describeRouteRoles('profile', AppModule, ['GET /v1/customers', 'GET /v1/customers/:customerId', 'POST /v1/customers/:customerId/erasure', 'GET /v1/admin/keys/rewrap', 'POST /v1/admin/keys/rewrap', 'POST /v1/sweeps', 'GET /v1/sweeps/:sweepId']);
