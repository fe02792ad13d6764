import fc from 'fast-check';
import { DateTime } from 'luxon';
import { DEFAULT_CAMPAIGN_RULES } from './campaign-rules';
import { sendableAt } from './quiet-hours';

const rules = DEFAULT_CAMPAIGN_RULES;

describe('quiet hours: SMS and phone wait for 08:00 in the customer’s zone, never dropped', () => {
  it.each([
    ['an SMS at 22:30 Shanghai waits for 08:00 the next morning', '2026-12-01T22:30:00+08:00', 'sms', 'Asia/Shanghai', '2026-12-02T00:00:00Z'],
    ['an SMS at 02:00 waits for 08:00 the same morning', '2026-12-02T02:00:00+08:00', 'sms', 'Asia/Shanghai', '2026-12-02T00:00:00Z'],
    ['an SMS at 21:00 sharp is quiet', '2026-12-01T21:00:00+08:00', 'sms', 'Asia/Shanghai', '2026-12-02T00:00:00Z'],
    ['an SMS at 08:00 sharp goes', '2026-12-02T08:00:00+08:00', 'sms', 'Asia/Shanghai', '2026-12-02T08:00:00+08:00'],
    ['a phone call at 23:00 waits too', '2026-12-01T23:00:00+08:00', 'phone', 'Asia/Shanghai', '2026-12-02T00:00:00Z'],
    ['an app push at 23:00 goes: its channel is not quiet', '2026-12-01T23:00:00+08:00', 'app_push', 'Asia/Shanghai', '2026-12-01T23:00:00+08:00'],
    ['the customer’s zone decides: 23:00 in Shanghai is 16:00 in London, so it goes', '2026-12-01T23:00:00+08:00', 'sms', 'Europe/London', '2026-12-01T23:00:00+08:00'],
    ['the night DST begins in London, 08:00 is BST', '2026-03-29T00:30:00Z', 'sms', 'Europe/London', '2026-03-29T07:00:00Z'],
  ])('%s', (_, at, channel, zone, expected) => {
    expect(sendableAt(at, channel, zone, rules)).toBe(expected);
  });

  it('a postponed message goes at a minute that is not quiet, within a day, and never before it was decided', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-12-31T00:00:00Z') }), fc.constantFrom('Asia/Shanghai', 'Europe/London', 'America/New_York'), (ms, zone) => {
        const at = new Date(Math.floor(ms / 60_000) * 60_000).toISOString();
        const when = sendableAt(at, 'sms', zone, rules);
        const local = DateTime.fromISO(when).setZone(zone);
        expect(Date.parse(when)).toBeGreaterThanOrEqual(Date.parse(at));
        expect(Date.parse(when) - Date.parse(at)).toBeLessThanOrEqual(24 * 3_600_000);
        const minute = local.hour * 60 + local.minute;
        expect(minute >= 8 * 60 && minute < 21 * 60).toBe(true);
      }),
    );
  });
});
