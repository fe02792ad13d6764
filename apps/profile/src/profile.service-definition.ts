import { TOPICS } from '@meridian/events';
import { ServiceDefinition } from '@meridian/shared';
import { AppModule } from './app.module';
import { ProfileConfig } from './config/profile.config';

/** What profile is, what it reads and writes (ARCHITECTURE.md: services). */
export const profileService: ServiceDefinition<ProfileConfig> = {
  service: 'profile',
  title: 'profile',
  description: 'The live 360-degree customer profile, encrypted at rest, served masked by role and audited.',
  module: AppModule,
  config: ProfileConfig,
  consumes: [
    TOPICS.customer,
    TOPICS.product,
    TOPICS.transaction,
    TOPICS.interaction,
    TOPICS.ticket,
    TOPICS.governance,
  ],
  produces: [
    TOPICS.profile,
    TOPICS.governance,
  ],
};
