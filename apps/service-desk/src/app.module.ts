import { Module } from '@nestjs/common';
import { MeridianCoreModule } from '@meridian/shared';
import { ServiceDeskConfig } from './config/service-desk.config';

@Module({
  imports: [MeridianCoreModule.forRoot({ service: 'service-desk', config: ServiceDeskConfig })],
})
export class AppModule {}
