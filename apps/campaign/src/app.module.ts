import { Module } from '@nestjs/common';
import { MeridianCoreModule } from '@meridian/shared';
import { CampaignConfig } from './config/campaign.config';

@Module({
  imports: [MeridianCoreModule.forRoot({ service: 'campaign', config: CampaignConfig })],
})
export class AppModule {}
