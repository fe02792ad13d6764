import { Module } from '@nestjs/common';
import { TierChangesConsumer } from './api/tier-changes.consumer';
import { CustomerContexts } from './application/ports/customer-contexts.port';
import { RecordTiersUseCase } from './application/record-tiers.use-case';
import { CustomerContextRepository } from './infrastructure/customer-context.repository';

/** What service-desk keeps of its customers from the events it consumes: the tier (TierChanged). */
@Module({
  controllers: [TierChangesConsumer],
  providers: [CustomerContextRepository, { provide: CustomerContexts, useExisting: CustomerContextRepository }, RecordTiersUseCase],
  exports: [CustomerContexts],
})
export class CustomersModule {}
