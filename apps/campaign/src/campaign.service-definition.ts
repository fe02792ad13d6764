import { TOPICS } from '@meridian/events';
import { ServiceDefinition } from '@meridian/shared';
import { AppModule } from './app.module';
import { CampaignConfig } from './config/campaign.config';

/** What campaign is, what it reads and writes (ARCHITECTURE.md: services). */
export const campaignService: ServiceDefinition<CampaignConfig> = {
  service: 'campaign',
  title: 'campaign',
  description: 'Lifecycle and churn-warning campaigns under consent, caps, quiet hours and control groups; attribution, ROI, leads and loyalty points.',
  module: AppModule,
  config: CampaignConfig,
  consumes: [
    TOPICS.segment,
    TOPICS.profile,
    TOPICS.interaction,
    TOPICS.product,
    TOPICS.transaction,
    TOPICS.governance,
    TOPICS.ticket,
    // Its own CampaignMessageRequested: the hand-over to the channels reads the requests back.
    TOPICS.campaign,
  ],
  produces: [
    TOPICS.campaign,
  ],
};
