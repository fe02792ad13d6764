import { describeRouteRoles } from '@meridian/shared/testing';
import { AppModule } from './app.module';

describeRouteRoles('segmentation', AppModule, ['GET /v1/tags']);
