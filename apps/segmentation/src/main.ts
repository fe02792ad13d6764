import 'reflect-metadata';
import { bootstrapService } from '@meridian/shared';
import { segmentationService } from './segmentation.service-definition';

void bootstrapService(segmentationService);
