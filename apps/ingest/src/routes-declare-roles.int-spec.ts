import { describeRouteRoles } from '@meridian/shared/testing';
import { AppModule } from './app.module';

describeRouteRoles('ingest', AppModule, ['POST /v1/events', 'POST /v1/imports/customers', 'GET /v1/quality', 'POST /v1/identities/:customerId/unmerge', 'POST /v1/identities/:customerId/separations/:otherCustomerId/lift']);
