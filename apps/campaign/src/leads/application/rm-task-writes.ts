import { Injectable } from '@nestjs/common';
import { EnvelopeInit, TOPICS } from '@meridian/events';
import { EventPublisher, newEnvelope } from '@meridian/events/kafka';
import { Fence } from '@meridian/shared';
import type { Lead } from '../domain/lead';
import { RmTask, followUpOf } from '../domain/rm-task';
import { CampaignConfig } from '../../config/campaign.config';
import { RmTaskStore, RmWorkLists } from './ports/rm-task-store.port';

/** RmTaskCreated of a task, under an eventId of the task (a campaign call's: of its message, as the RM_TASK channel always named it). */
export function taskCreatedEvent(task: RmTask): EnvelopeInit {
  const eventId = task.kind === 'CAMPAIGN_CALL' && task.messageId ? `${task.messageId}.rm-task` : `${task.taskId}.created`;
  return newEnvelope('RmTaskCreated', { customerId: task.customerId, taskId: task.taskId, rmId: task.rmId, kind: task.kind, dueAt: task.dueAt, reason: task.reason }, { eventId, source: 'meridian-campaign', customerId: task.customerId, occurredAt: task.createdAt });
}

/**
 * How RM tasks are written (issue 13, point 3), by a caller holding their customer's lead lock:
 * kept in MongoDB, filed in the work lists and the due index, a new one announced as
 * RmTaskCreated (again, under the same eventId, when a retried step meets it stored already).
 */
@Injectable()
export class RmTaskWrites {
  constructor(
    private readonly store: RmTaskStore,
    private readonly lists: RmWorkLists,
    private readonly publisher: EventPublisher,
    private readonly config: CampaignConfig,
  ) {}

  /** New tasks: a task stored already (a redelivery, a retried step) is left as it is, and announced again if still open. */
  async create(tasks: readonly RmTask[], fence: Fence, alongside: readonly EnvelopeInit[] = []): Promise<RmTask[]> {
    const stored = await this.store.load(tasks.map((t) => t.taskId));
    const fresh = tasks.filter((t) => !stored.has(t.taskId));
    await fence();
    await this.store.put(fresh);
    const now = tasks.map((t) => stored.get(t.taskId) ?? t);
    await this.lists.file(now);
    await this.publisher.publishAll([...alongside, ...now.filter((t) => t.status === 'OPEN').map(taskCreatedEvent)].map((envelope) => ({ topic: TOPICS.campaign, envelope })));
    return now;
  }

  /** Tasks changed (an outcome, an escalation, withdrawn). */
  async update(tasks: readonly RmTask[], fence: Fence): Promise<void> {
    await fence();
    await this.store.put(tasks);
    await this.lists.file(tasks);
  }

  async load(taskIds: readonly string[]): Promise<Map<string, RmTask>> {
    return this.store.load(taskIds);
  }

  /**
   * The follow-up of the lead's current assignment, announced after its LeadAssigned; the lead's
   * earlier follow-ups still open are withdrawn (it moved to another RM).
   */
  async followUp(lead: Lead, assigned: readonly EnvelopeInit[], fence: Fence): Promise<void> {
    if (!lead.rmId || !lead.assignedAt) return this.publishOnly(assigned);
    const earlierIds = Array.from({ length: lead.assignments - 1 }, (_, i) => `task-${lead.leadId}-a${i + 1}`);
    const earlier = [...(await this.store.load(earlierIds)).values()].filter((t) => t.status === 'OPEN');
    if (earlier.length) await this.update(earlier.map((t) => ({ ...t, status: 'WITHDRAWN' as const })), fence);
    await this.create([followUpOf(lead, this.config.rmTasks)], fence, assigned);
  }

  /** An overdue task nobody can be escalated to yet: out of the due index's range until `until`. */
  async postponeDue(task: RmTask, until: Date): Promise<void> {
    await this.lists.postponeDue(task.taskId, until);
  }

  /** Open tasks of the lead withdrawn (the lead closed). */
  async withdrawOfLead(lead: Lead, fence: Fence, except?: string): Promise<void> {
    const ids = Array.from({ length: lead.assignments }, (_, i) => `task-${lead.leadId}-a${i + 1}`).filter((id) => id !== except);
    const open = [...(await this.store.load(ids)).values()].filter((t) => t.status === 'OPEN');
    if (open.length) await this.update(open.map((t) => ({ ...t, status: 'WITHDRAWN' as const })), fence);
  }

  /** An erased customer's tasks: out of every work list and the due index, their documents deleted (PIPL). */
  async forgetCustomer(customerId: string, fence: Fence): Promise<void> {
    const ids = await this.lists.ofCustomer(customerId);
    const tasks = [...(await this.store.load(ids)).values()];
    await fence();
    await this.lists.forgetCustomer(customerId, tasks);
    await this.store.delete(ids);
  }

  private async publishOnly(events: readonly EnvelopeInit[]): Promise<void> {
    if (events.length) await this.publisher.publishAll(events.map((envelope) => ({ topic: TOPICS.campaign, envelope })));
  }
}
