import fc from 'fast-check';
import { generationAt, generationName, isExpired, liveGenerations, parseGenerationName } from './guard-generations';

const DAY = 86_400_000;
const at = (iso: string) => new Date(iso);

describe('guard generations (the durable idempotency guard, issue 8 point 5)', () => {
  it.each([
    // retention, written, looked up, remembered?
    [30, '2026-03-01T00:00:00Z', '2026-03-01T00:00:01Z', true],
    [30, '2026-03-01T00:00:00Z', '2026-03-30T23:59:59Z', true],
    [1, '2026-03-01T23:59:59Z', '2026-03-02T23:59:58Z', true],
    [1, '2026-03-01T00:00:00Z', '2026-03-02T23:59:59Z', true],
    [1, '2026-03-01T00:00:00Z', '2026-03-03T00:00:00Z', false],
    [1, '2026-03-01T23:59:59Z', '2026-03-03T00:00:00Z', false],
  ])('retention %i d: written %s, looked up %s → remembered %s', (days, written, lookedUp, remembered) => {
    const live = liveGenerations(at(lookedUp), days).map((g) => g.index);
    expect(live.includes(generationAt(at(written), days).index)).toBe(remembered);
    expect(isExpired(generationAt(at(written), days), at(lookedUp))).toBe(!remembered);
  });

  it('remembers a key for at least the retention and forgets it within twice the retention (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 4e12 }), fc.integer({ min: 0, max: 3 * 400 * DAY }), (days, written, elapsed) => {
        const writtenAt = new Date(written);
        const lookedUp = new Date(written + elapsed);
        const generation = generationAt(writtenAt, days);
        const found = liveGenerations(lookedUp, days).some((g) => g.index === generation.index);
        if (elapsed < days * DAY) expect(found).toBe(true);
        if (elapsed >= 2 * days * DAY) expect(found).toBe(false);
        expect(isExpired(generation, lookedUp)).toBe(!found);
      }),
    );
  });

  it('names generations so that only its own collections are parsed back', () => {
    const g = generationAt(at('2026-03-01T00:00:00Z'), 30);
    expect(parseGenerationName('applied_events', generationName('applied_events', g))).toEqual(g);
    expect(parseGenerationName('applied_events', 'applied_events')).toBeUndefined();
    expect(parseGenerationName('applied_events', 'applied_events_x_30d_1')).toBeUndefined();
    expect(parseGenerationName('applied.events', 'appliedXevents_30d_1')).toBeUndefined();
  });
});
