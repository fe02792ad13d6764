import { SlaClock } from './ticket';

/**
 * The moves of an SLA clock, each from the one state it applies to (a clock in another
 * state is returned as it is, so a stray call cannot restart a stopped clock or double a
 * span). Pure: the instant comes from the caller.
 */
export function startClock(at: Date): SlaClock {
  return { status: 'RUNNING', spans: [], runningSince: at, reached: [] };
}

const closeSpan = (clock: SlaClock, at: Date) => [...clock.spans, { from: clock.runningSince as Date, to: at }];

/** RUNNING → PAUSED (PENDING_CUSTOMER): the running span ends. */
export function pauseClock(clock: SlaClock, at: Date): SlaClock {
  if (clock.status !== 'RUNNING') return clock;
  return { status: 'PAUSED', spans: closeSpan(clock, at), pausedSince: at, reached: clock.reached };
}

/** PAUSED → RUNNING (the customer answered); and STOPPED → RUNNING only when asked to (`fromStopped`: a reopened ticket's resolution clock). */
export function resumeClock(clock: SlaClock, at: Date, fromStopped = false): SlaClock {
  if (clock.status === 'RUNNING' || (clock.status === 'STOPPED' && !fromStopped)) return clock;
  return { status: 'RUNNING', spans: clock.spans, runningSince: at, reached: clock.reached };
}

/** RUNNING or PAUSED → STOPPED: the running span (if any) ends; a paused one has ended already. */
export function stopClock(clock: SlaClock, at: Date): SlaClock {
  if (clock.status === 'STOPPED') return clock;
  return { status: 'STOPPED', spans: clock.status === 'RUNNING' ? closeSpan(clock, at) : clock.spans, stoppedAt: at, reached: clock.reached };
}
