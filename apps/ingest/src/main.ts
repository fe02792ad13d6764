import 'reflect-metadata';
import { bootstrapService } from '@meridian/shared';
import { ingestService } from './ingest.service-definition';

void bootstrapService(ingestService);
