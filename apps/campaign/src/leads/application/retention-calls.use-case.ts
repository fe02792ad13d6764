import { Injectable, Logger } from '@nestjs/common';
import type { EventEnvelope, LifecycleStageChanged } from '@meridian/events';
import { mapLimit } from '@meridian/shared';
import { CampaignConfig } from '../../config/campaign.config';
import { CustomerRecords } from '../../customers/application/ports/customer-records.port';
import { retentionCallOf } from '../domain/rm-task';
import { RmRoster } from './ports/rm-roster.port';
import { RmTaskChanges } from './rm-task-changes';

/**
 * DOMAIN.md: a DIAMOND customer always has a dedicated RM task within 24 h of an AT_RISK change
 * (issue 13, point 3): each LifecycleStageChanged to AT_RISK of a customer campaign keeps as DIAMOND
 * makes a RETENTION_CALL for their own RM — or, when they have none on the roster ACTIVE, the
 * branch's ACTIVE RM with the fewest open leads — one a stage change, however redelivered.
 */
@Injectable()
export class RetentionCallsUseCase {
  private readonly logger = new Logger('RetentionCalls');

  constructor(
    private readonly customers: CustomerRecords,
    private readonly roster: RmRoster,
    private readonly tasks: RmTaskChanges,
    private readonly config: CampaignConfig,
  ) {}

  async execute(changes: ReadonlyArray<EventEnvelope<LifecycleStageChanged>>): Promise<void> {
    const atRisk = changes.filter((e) => e.type === 'LifecycleStageChanged' && e.payload.to === 'AT_RISK' && e.customerId);
    if (!atRisk.length) return;
    const records = await this.customers.get(atRisk.map((e) => e.customerId as string));
    await mapLimit(atRisk, 8, async (e) => {
      const record = records.get(e.customerId as string);
      if (record?.status !== 'ACTIVE' || record.derived.tier?.value !== 'DIAMOND') return;
      const rmId = await this.rmFor(record.features?.rmId, record.features?.branchId);
      if (!rmId) return void this.logger.warn(`DIAMOND customer ${record.customerId} turned AT_RISK and no RM of branch ${record.features?.branchId ?? '?'} is ACTIVE on the roster: no retention call`);
      await this.tasks.create(retentionCallOf({ customerId: record.customerId, eventId: e.eventId, at: e.occurredAt, reason: e.payload.reason }, rmId, this.config.rmTasks));
    });
  }

  private async rmFor(own: string | undefined, branchId: string | undefined): Promise<string | undefined> {
    if (own && (await this.roster.get(own))?.status === 'ACTIVE') return own;
    if (!branchId) return own;
    const active = (await this.roster.list(branchId)).filter((r) => r.status === 'ACTIVE').sort((a, b) => a.openLeads - b.openLeads || a.rmId.localeCompare(b.rmId));
    return active[0]?.rmId ?? own;
  }
}
