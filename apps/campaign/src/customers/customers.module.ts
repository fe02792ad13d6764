import { Module } from '@nestjs/common';
import { CustomerNewsConsumer } from './api/customer-news.consumer';
import { CustomerRecords } from './application/ports/customer-records.port';
import { ServiceCases } from './application/ports/service-cases.port';
import { RecordProfilesUseCase } from './application/record-profiles.use-case';
import { RecordServiceCasesUseCase } from './application/record-service-cases.use-case';
import { CustomerRecordRepository } from './infrastructure/customer-record.repository';
import { RedisServiceCases } from './infrastructure/redis-service-cases';

/** What campaign keeps of its customers: profiles and segmentation's news (MongoDB by `_id`), open service cases (Redis). */
@Module({
  controllers: [CustomerNewsConsumer],
  providers: [
    CustomerRecordRepository,
    { provide: CustomerRecords, useExisting: CustomerRecordRepository },
    RedisServiceCases,
    { provide: ServiceCases, useExisting: RedisServiceCases },
    RecordProfilesUseCase,
    RecordServiceCasesUseCase,
  ],
  exports: [CustomerRecords, ServiceCases],
})
export class CustomersModule {}
