import { SlaTimerEffect } from '../../domain/sla-timer-plan';

/** A ticket's SLA jobs to change: the effects of its writes, oldest first. */
export interface TicketTimerEffects {
  ticketId: string;
  effects: readonly SlaTimerEffect[];
  /** A ticket's first write (rev 1), just inserted: it has no jobs to replace yet. */
  fresh?: boolean;
}

/**
 * The SLA stage jobs (BullMQ delayed jobs, one per ticket, timer and stage). A job is a wake-up:
 * when it fires, the ticket's stored clock decides whether the stage is due (it may have moved or
 * stopped since), so a job that could not be moved or removed in time does no harm.
 */
export abstract class SlaTimers {
  /** SCHEDULE adds the stage's job at its due instant (replacing one there), CANCEL removes it; RETARGET changes nothing (the job reads the ticket when it fires). */
  abstract apply(changes: readonly TicketTimerEffects[]): Promise<void>;
}
