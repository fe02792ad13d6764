import { pauseClock, resumeClock, startClock, stopClock } from './sla-clock';

const at = (m: number) => new Date(Date.UTC(2026, 2, 2, 1, m));

describe('SLA clock moves', () => {
  const running = startClock(at(0));
  const paused = pauseClock(running, at(10));
  const stopped = stopClock(running, at(20));

  it.each<[string, ReturnType<typeof startClock>, ReturnType<typeof startClock>]>([
    ['start runs from the instant', running, { status: 'RUNNING', spans: [], runningSince: at(0), reached: [] }],
    ['pause ends the running span', paused, { status: 'PAUSED', spans: [{ from: at(0), to: at(10) }], pausedSince: at(10), reached: [] }],
    ['resume runs again, the span kept', resumeClock(paused, at(30)), { status: 'RUNNING', spans: [{ from: at(0), to: at(10) }], runningSince: at(30), reached: [] }],
    ['stop while running ends the span', stopped, { status: 'STOPPED', spans: [{ from: at(0), to: at(20) }], stoppedAt: at(20), reached: [] }],
    ['stop while paused adds no span', stopClock(paused, at(40)), { status: 'STOPPED', spans: [{ from: at(0), to: at(10) }], stoppedAt: at(40), reached: [] }],
    ['a stopped clock resumes only when asked (a reopen)', resumeClock(stopped, at(50), true), { status: 'RUNNING', spans: [{ from: at(0), to: at(20) }], runningSince: at(50), reached: [] }],
  ])('%s', (_, clock, expected) => {
    expect(clock).toEqual(expected);
  });

  it.each<[string, () => unknown, unknown]>([
    ['resume of a stopped clock', () => resumeClock(stopped, at(50)), stopped],
    ['resume of a running clock', () => resumeClock(running, at(50)), running],
    ['pause of a paused clock', () => pauseClock(paused, at(50)), paused],
    ['pause of a stopped clock', () => pauseClock(stopped, at(50)), stopped],
    ['stop of a stopped clock', () => stopClock(stopped, at(50)), stopped],
  ])('%s leaves it as it is', (_, move, same) => {
    expect(move()).toBe(same);
  });
});
