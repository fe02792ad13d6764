import { eventIdOfTimelineKey, timelineKey } from './timeline-order';

describe('timeline order', () => {
  it.each([
    ['a later time sorts after', ['2026-03-10T10:00:00+08:00', 'z'], ['2026-03-10T10:00:01+08:00', 'a']],
    ['offsets are compared as instants', ['2026-03-10T10:00:00+08:00', 'b'], ['2026-03-10T03:00:00Z', 'a']],
    ['the same instant: the eventId decides', ['2026-03-10T10:00:00+08:00', 'e-1'], ['2026-03-10T02:00:00Z', 'e-2']],
    ['a shorter epoch sorts before a longer one', ['2001-09-09T01:46:39Z', 'x'], ['2001-09-09T01:46:40Z', 'x']],
  ])('%s', (_case, [t1, id1], [t2, id2]) => {
    expect(timelineKey(t1, id1) < timelineKey(t2, id2)).toBe(true);
  });

  it('gives the eventId back, even one holding the separator', () => expect(eventIdOfTimelineKey(timelineKey('2026-03-10T10:00:00Z', 'a|b'))).toBe('a|b'));
});
