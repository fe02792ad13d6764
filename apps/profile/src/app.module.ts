import { Module } from '@nestjs/common';
import { KeyedMutex, MeridianCoreModule } from '@meridian/shared';
import { ProfileConfig } from './config/profile.config';
import { CustomersController } from './profile/api/customers.controller';
import { ProfileEventsConsumer } from './profile/api/profile-events.consumer';
import { CustomerViews } from './profile/application/customer-views';
import { ProfileEraser } from './profile/application/profile-eraser';
import { ProfileProjector } from './profile/application/profile-projector';
import { DataKeyStore } from './profile/infrastructure/data-key.store';
import { ProfileRepository } from './profile/infrastructure/profile.repository';
import { ProfileSealing } from './profile/infrastructure/profile-sealing';

@Module({
  imports: [MeridianCoreModule.forRoot({ service: 'profile', config: ProfileConfig })],
  controllers: [CustomersController, ProfileEventsConsumer],
  providers: [{ provide: KeyedMutex, useValue: new KeyedMutex() }, ProfileRepository, DataKeyStore, ProfileSealing, ProfileProjector, ProfileEraser, CustomerViews],
})
export class AppModule {}
