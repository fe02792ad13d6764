import { TOPICS } from '@meridian/events';
import { ServiceDefinition } from '@meridian/shared';
import { AppModule } from './app.module';
import { ServiceDeskConfig } from './config/service-desk.config';

/** What service-desk is, what it reads and writes (ARCHITECTURE.md: services). */
export const serviceDeskService: ServiceDefinition<ServiceDeskConfig> = {
  service: 'service-desk',
  title: 'service desk',
  description: 'Ticket classification and routing, SLA timers and escalations, satisfaction surveys.',
  module: AppModule,
  config: ServiceDeskConfig,
  consumes: [
    TOPICS.interaction,
    TOPICS.segment,
    TOPICS.profile,
    TOPICS.governance,
  ],
  produces: [
    TOPICS.ticket,
    // PiiAccessed: a FULL view of a ticket's customer that shows in clear what a masked one hides.
    TOPICS.governance,
  ],
};
