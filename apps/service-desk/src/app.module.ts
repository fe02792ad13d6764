import { Module } from '@nestjs/common';
import { MeridianCoreModule } from '@meridian/shared';
import { ServiceDeskConfig } from './config/service-desk.config';
import { TicketsModule } from './tickets/tickets.module';

@Module({
  imports: [MeridianCoreModule.forRoot({ service: 'service-desk', config: ServiceDeskConfig }), TicketsModule],
})
export class AppModule {}
