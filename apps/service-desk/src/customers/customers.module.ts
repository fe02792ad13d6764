import { Module } from '@nestjs/common';
import { ProfileUpdatesConsumer } from './api/profile-updates.consumer';
import { TierChangesConsumer } from './api/tier-changes.consumer';
import { CustomerOptOuts } from './application/ports/customer-opt-outs.port';
import { CustomerProfiles } from './application/ports/customer-profiles.port';
import { RecordOptOutsUseCase } from './application/record-opt-outs.use-case';
import { CustomerOptOutRepository } from './infrastructure/customer-opt-out.repository';
import { RecordProfilesUseCase } from './application/record-profiles.use-case';
import { CustomerProfileRepository } from './infrastructure/customer-profile.repository';
import { CustomerContexts } from './application/ports/customer-contexts.port';
import { RecordTiersUseCase } from './application/record-tiers.use-case';
import { CustomerContextRepository } from './infrastructure/customer-context.repository';
import { CustomerInteractions } from './application/ports/customer-interactions.port';
import { RecordInteractionsUseCase } from './application/record-interactions.use-case';
import { RedisCustomerInteractions } from './infrastructure/redis-customer-interactions';
import { GovernanceConsumer } from './api/governance.consumer';
import { CustomerHolders } from './application/customer-holders';
import { CustomerMembers } from './application/ports/customer-members.port';
import { RedisCustomerMembers } from './infrastructure/redis-customer-members';
import { CustomerErasures } from './application/ports/customer-erasures.port';
import { RecordErasuresUseCase } from './application/record-erasures.use-case';
import { RedisCustomerErasures } from './infrastructure/redis-customer-erasures';

/** What service-desk keeps of its customers from the events it consumes: the tier (TierChanged), the consents, branch and RM (ProfileUpdated), opt-outs and their newest interactions (crm.interaction.v1), who holds whose records after merges (ProfileUpdated MERGED) and who was erased (CustomerErased). */
@Module({
  controllers: [TierChangesConsumer, ProfileUpdatesConsumer, GovernanceConsumer],
  providers: [
    CustomerContextRepository,
    { provide: CustomerContexts, useExisting: CustomerContextRepository },
    RecordTiersUseCase,
    CustomerProfileRepository,
    { provide: CustomerProfiles, useExisting: CustomerProfileRepository },
    RecordProfilesUseCase,
    CustomerOptOutRepository,
    { provide: CustomerOptOuts, useExisting: CustomerOptOutRepository },
    RecordOptOutsUseCase,
    RedisCustomerInteractions,
    { provide: CustomerInteractions, useExisting: RedisCustomerInteractions },
    RecordInteractionsUseCase,
    RedisCustomerErasures,
    { provide: CustomerErasures, useExisting: RedisCustomerErasures },
    RecordErasuresUseCase,
    RedisCustomerMembers,
    { provide: CustomerMembers, useExisting: RedisCustomerMembers },
    CustomerHolders,
  ],
  exports: [CustomerContexts, CustomerProfiles, CustomerOptOuts, CustomerInteractions, CustomerErasures, CustomerHolders, RecordOptOutsUseCase, RecordInteractionsUseCase],
})
export class CustomersModule {}
