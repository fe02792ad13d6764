import { Module } from '@nestjs/common';
import { CustomerNewsConsumer } from './api/customer-news.consumer';
import { CustomerRecords } from './application/ports/customer-records.port';
import { CustomerBase } from './application/ports/customer-base.port';
import { CustomerContacts } from './application/ports/customer-contacts.port';
import { CustomerTraces } from './application/ports/customer-traces.port';
import { RecordProfilesUseCase } from './application/record-profiles.use-case';
import { RecordServiceCasesUseCase } from './application/record-service-cases.use-case';
import { CachedCustomerRecords } from './infrastructure/cached-customer-records';
import { CustomerFactsCopy } from './infrastructure/customer-facts-copy';
import { CustomerRecordRepository } from './infrastructure/customer-record.repository';
import { RedisCustomerFacts } from './infrastructure/redis-customer-facts';
import { RedisCustomerBase } from './infrastructure/redis-customer-base';
import { RedisCustomerContacts } from './infrastructure/redis-customer-contacts';
import { RedisCustomerTraces } from './infrastructure/redis-customer-traces';

/** What campaign keeps of its customers: profiles and segmentation's news (MongoDB by `_id`, and in Redis as decisions read them), open service cases, opt-outs and the base by partition (Redis); an erased customer's traces forgotten. */
@Module({
  controllers: [CustomerNewsConsumer],
  providers: [
    CustomerRecordRepository,
    RedisCustomerFacts,
    CustomerFactsCopy,
    CachedCustomerRecords,
    { provide: CustomerRecords, useExisting: CachedCustomerRecords },
    RedisCustomerContacts,
    { provide: CustomerContacts, useExisting: RedisCustomerContacts },
    RedisCustomerBase,
    { provide: CustomerBase, useExisting: RedisCustomerBase },
    RedisCustomerTraces,
    { provide: CustomerTraces, useExisting: RedisCustomerTraces },
    RecordProfilesUseCase,
    RecordServiceCasesUseCase,
  ],
  exports: [CustomerRecords, CustomerContacts, CustomerBase, RecordProfilesUseCase],
})
export class CustomersModule {}
