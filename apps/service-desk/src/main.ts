import 'reflect-metadata';
import { bootstrapService } from '@meridian/shared';
import { serviceDeskService } from './service-desk.service-definition';

void bootstrapService(serviceDeskService);
