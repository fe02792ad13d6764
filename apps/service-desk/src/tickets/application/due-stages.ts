import { ServiceDeskRules } from '../domain/service-desk-rules';
import { scheduleTimer } from '../domain/sla-timer-plan';
import { SLA_TIMERS, SlaStage, SlaTimer, Ticket } from '../domain/ticket';
import { transitionTicket } from '../domain/ticket-transitions';
import { SlaCalendars } from './sla-calendars';
import { stageDueAt } from './sla-stage-due';
import { AcceptedStep } from './ticket-step-write';

/** A running clock's pending stages with the instants they fall due, in order. */
export function pendingStageDues(ticket: Ticket, timer: SlaTimer, rules: ServiceDeskRules, calendars: SlaCalendars): Array<{ stage: SlaStage; at: Date }> {
  return scheduleTimer(ticket, timer, rules).map((s) => ({ stage: s.stage, at: stageDueAt(s, calendars) }));
}

/**
 * The stages that fell due by `now` and are not reached yet, reached in order, each at its own
 * instant (its events dated then). A change catches up on them before it applies its command, so
 * what a ticket records does not depend on how late its stage jobs ran: a breach due before a
 * pause is a breach, even if the pause came first to the store. `until` stops at one stage (a job's).
 */
export function reachDueStages(ticket: Ticket, now: Date, rules: ServiceDeskRules, calendars: SlaCalendars, until?: { timer: SlaTimer; stage: SlaStage }): { ticket: Ticket; steps: AcceptedStep[] } {
  const steps: AcceptedStep[] = [];
  let current = ticket;
  for (const timer of until ? [until.timer] : SLA_TIMERS) {
    const dues = pendingStageDues(current, timer, rules, calendars);
    const last = until ? dues.findIndex((d) => d.stage === until.stage) : dues.length - 1;
    for (const d of dues.slice(0, last + 1)) {
      if (d.at.getTime() > now.getTime()) break;
      const outcome = transitionTicket(current, { type: 'SLA_STAGE_REACHED', timer, stage: d.stage }, d.at, rules);
      if (!outcome.ok) break;
      // Its job, if it has not run, has nothing left to do (the job of `until` is the one running).
      const done = until?.stage === d.stage ? [] : [{ kind: 'CANCEL' as const, timer, stage: d.stage, runningSince: current.clocks[timer].runningSince as Date }];
      steps.push({ ...outcome, timers: [...outcome.timers, ...done], occurredAt: d.at.toISOString() });
      current = outcome.ticket;
    }
  }
  return { ticket: current, steps };
}
