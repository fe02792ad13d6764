import { Injectable } from '@nestjs/common';
import { ServiceDeskConfig } from '../../config/service-desk.config';
import { SlaStage, SlaTimer } from '../domain/ticket';
import { SlaCalendars } from './sla-calendars';
import { TicketChanges } from './ticket-changes';
import { stepWrite } from './ticket-step-write';
import { pendingStageDues, reachDueStages } from './due-stages';

export interface SlaStageJob {
  ticketId: string;
  timer: SlaTimer;
  stage: SlaStage;
  /** The run of the clock the job was set for: a job of an earlier run (the clock paused since) has nothing to do. */
  runningSince: Date;
}

/** REACHED: recorded (and escalated at breach); NOT_YET: due later (the clock moved: the job waits until then); STALE: nothing to do (no ticket, the clock stopped, paused, or the stage came before). */
export type SlaStageOutcome = { kind: 'REACHED'; dueAt: Date } | { kind: 'NOT_YET'; dueAt: Date } | { kind: 'STALE' };

/**
 * An SLA stage job fired (issue 11, point 3). The ticket as stored decides, not the job: the
 * stage is recomputed from the clock's spans on its calendar, and reached only if the clock
 * still runs, the stage is pending and its instant has come. Reached, the stage is kept on the
 * clock (never again), and a breach publishes TicketEscalated dated at the instant it fell due;
 * the clock's earlier pending stages are reached with it, in order, each at its own instant.
 */
@Injectable()
export class ReachSlaStageUseCase {
  constructor(
    private readonly changes: TicketChanges,
    private readonly calendars: SlaCalendars,
    private readonly config: ServiceDeskConfig,
  ) {}

  /** `now` is read under the ticket's lock, so it is never earlier than the change before. */
  async execute(job: SlaStageJob, now: () => Date): Promise<SlaStageOutcome> {
    const rules = this.config.rules;
    const change = await this.changes.change<SlaStageOutcome>(job.ticketId, (stored) => {
      const at = now();
      const clock = stored.ticket.clocks[job.timer];
      if (clock.status !== 'RUNNING' || new Date(clock.runningSince as Date).getTime() !== new Date(job.runningSince).getTime()) return { answer: { kind: 'STALE' } };
      const mine = pendingStageDues(stored.ticket, job.timer, rules, this.calendars).find((d) => d.stage === job.stage);
      if (!mine) return { answer: { kind: 'STALE' } };
      if (mine.at.getTime() > at.getTime()) return { answer: { kind: 'NOT_YET', dueAt: mine.at } };
      // The clock's earlier stages still pending are reached first: jobs due together run in any
      // order, and a breach never comes before its warning, nor level 2 before level 1.
      const { steps } = reachDueStages(stored.ticket, at, rules, this.calendars, job);
      return stepWrite(stored, steps, { kind: 'REACHED', dueAt: mine.at }, { occurredAt: mine.at.toISOString() });
    });
    return change.found ? change.answer : { kind: 'STALE' };
  }
}
