import 'reflect-metadata';
import { bootstrapService } from '@meridian/shared';
import { campaignService } from './campaign.service-definition';

void bootstrapService(campaignService);
