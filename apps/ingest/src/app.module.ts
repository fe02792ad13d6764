import { Module } from '@nestjs/common';
import { MeridianCoreModule } from '@meridian/shared';
import { IngestConfig } from './config/ingest.config';

@Module({
  imports: [MeridianCoreModule.forRoot({ service: 'ingest', config: IngestConfig })],
})
export class AppModule {}
