import 'reflect-metadata';
import { bootstrapService } from '@meridian/shared';
import { profileService } from './profile.service-definition';

void bootstrapService(profileService);
