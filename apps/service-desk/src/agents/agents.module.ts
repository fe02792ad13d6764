import { Module } from '@nestjs/common';
import { AgentRoster } from './application/ports/agent-roster.port';
import { AgentRosterRepository } from './infrastructure/agent-roster.repository';

/** The service desk's agents: who serves which queues, with what capacity, available or not. */
@Module({
  providers: [AgentRosterRepository, { provide: AgentRoster, useExisting: AgentRosterRepository }],
  exports: [AgentRoster],
})
export class AgentsModule {}
