import { Module } from '@nestjs/common';
import { MeridianCoreModule } from '@meridian/shared';
import { ProfileConfig } from './config/profile.config';

@Module({
  imports: [MeridianCoreModule.forRoot({ service: 'profile', config: ProfileConfig })],
})
export class AppModule {}
