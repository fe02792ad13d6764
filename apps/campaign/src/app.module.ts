import { Module } from '@nestjs/common';
import { MeridianCoreModule } from '@meridian/shared';
import { CampaignsModule } from './campaigns/campaigns.module';
import { CampaignConfig } from './config/campaign.config';

@Module({
  imports: [MeridianCoreModule.forRoot({ service: 'campaign', config: CampaignConfig }), CampaignsModule],
})
export class AppModule {}
