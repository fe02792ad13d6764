import { addWorkingMinutes, workingMinutesBetween } from '../../calendars/domain/working-time';
import { StageTiming } from '../domain/sla-timer-plan';
import { SlaCalendars } from './sla-calendars';

export type ScheduledStage = StageTiming;

/**
 * When a stage falls due: the instant the clock's working time — its finished spans, then the
 * time since it last started — reaches fraction × target, on the calendar its basis and queue
 * name (so a P2 warning lands within service hours, never at midnight). A stage whose share was
 * used up in earlier spans is due when the clock started again.
 */
export function stageDueAt(stage: ScheduledStage, calendars: SlaCalendars): Date {
  const calendar = calendars.of(stage.basis, stage.escalateTo.queue);
  const ran = stage.clock.spans.reduce((sum, s) => sum + workingMinutesBetween(calendar, s.from.toISOString(), s.to.toISOString()), 0);
  const left = stage.targetMinutes * stage.fraction - ran;
  return left <= 0 ? stage.clock.runningSince : new Date(addWorkingMinutes(calendar, stage.clock.runningSince.toISOString(), left));
}
