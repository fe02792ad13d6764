import { TicketQueue } from '@meridian/events';
import { ServiceDeskRules, SlaStageFractions } from './service-desk-rules';
import { ClockSpan, SLA_STAGES, SlaClock, SlaStage, SlaTimer, Ticket } from './ticket';
import { SlaClockBasis, slaPolicy } from './ticket-priority';

/** Whom a stage's job alerts: the assignee (warn), the queue's supervisor (level 1), the branch manager (level 2). */
export interface EscalationTarget {
  queue: TicketQueue;
  assigneeId?: string;
}

/**
 * What the application turns into BullMQ delayed jobs (one job per timer, stage and run of the
 * clock — its `runningSince`):
 * - SCHEDULE: due when the clock's working time (the spans', plus that since runningSince)
 *   reaches fraction × targetMinutes, counted on `basis` (the calendar module says when);
 * - CANCEL: remove the job (the clock stopped or paused);
 * - RETARGET: the same job for a new assignee or queue (reassignment keeps the targets; a queue
 *   on another calendar may move the instant).
 */
/** When a stage falls due: fraction × targetMinutes of working time on `basis`, counted over the clock's spans and since runningSince. */
export interface StageTiming {
  timer: SlaTimer;
  stage: SlaStage;
  fraction: number;
  targetMinutes: number;
  basis: SlaClockBasis;
  clock: { runningSince: Date; spans: readonly ClockSpan[] };
  escalateTo: EscalationTarget;
}

export type SlaTimerEffect =
  | ({ kind: 'SCHEDULE' } & StageTiming)
  /** `runningSince`: the run of the clock whose job it was (a job belongs to one run: a resumed clock's are new jobs). */
  | { kind: 'CANCEL'; timer: SlaTimer; stage: SlaStage; runningSince: Date }
  /** The same run's job, for a new assignee or queue: its due instant is computed again (another queue may count other hours). */
  | ({ kind: 'RETARGET' } & StageTiming);

export const STAGE_FRACTION: Record<SlaStage, keyof SlaStageFractions> = { WARN: 'warn', BREACH: 'breach', BREACH_2X: 'breach2x' };

/** The stages of a clock not yet reached, in order: the ones a running clock has jobs for. */
export const pendingStages = (clock: SlaClock): SlaStage[] => SLA_STAGES.filter((s) => !clock.reached.includes(s));

const target = (ticket: Ticket): EscalationTarget => ({ queue: ticket.queue, ...(ticket.assigneeId !== undefined && { assigneeId: ticket.assigneeId }) });

/** Jobs for every pending stage of a running clock. */
export function scheduleTimer(ticket: Ticket, timer: SlaTimer, rules: ServiceDeskRules): Array<Extract<SlaTimerEffect, { kind: 'SCHEDULE' }>> {
  return stageTimings(ticket, timer, rules).map((t) => ({ kind: 'SCHEDULE', ...t }));
}

function stageTimings(ticket: Ticket, timer: SlaTimer, rules: ServiceDeskRules): StageTiming[] {
  const clock = ticket.clocks[timer];
  if (clock.status !== 'RUNNING' || !clock.runningSince) return [];
  const policy = slaPolicy(ticket.priority, ticket.queue, rules);
  const targetMinutes = timer === 'FIRST_RESPONSE' ? policy.firstResponseMinutes : policy.resolutionMinutes;
  return pendingStages(clock).map((stage) => ({
    timer,
    stage,
    fraction: rules.stageFractions[STAGE_FRACTION[stage]],
    targetMinutes,
    basis: policy.basis,
    clock: { runningSince: clock.runningSince as Date, spans: clock.spans },
    escalateTo: target(ticket),
  }));
}

/** Remove the jobs of a clock that was running (its pending stages); nothing for one already paused or stopped. */
export function cancelTimer(before: SlaClock, timer: SlaTimer): SlaTimerEffect[] {
  return before.status === 'RUNNING' && before.runningSince ? pendingStages(before).map((stage) => ({ kind: 'CANCEL', timer, stage, runningSince: before.runningSince as Date })) : [];
}

/** Point a running clock's jobs at the ticket's (new) assignee and queue. */
export function retargetTimer(ticket: Ticket, timer: SlaTimer, rules: ServiceDeskRules): SlaTimerEffect[] {
  return stageTimings(ticket, timer, rules).map((t) => ({ kind: 'RETARGET', ...t }));
}
