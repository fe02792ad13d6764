import fc from 'fast-check';
import { MARKETING_CHANNELS } from '@meridian/events';
import { CampaignRules, DEFAULT_CAMPAIGN_RULES, campaignRuleProblems, isQuietMinute } from './campaign-rules';

const zones = new Set(['Asia/Shanghai', 'Asia/Hong_Kong']);
const problems = (over: Partial<CampaignRules>) => campaignRuleProblems({ ...DEFAULT_CAMPAIGN_RULES, ...over }, MARKETING_CHANNELS, (z) => zones.has(z));
const at = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

describe('campaign rules (DOMAIN.md campaigns)', () => {
  it('DOMAIN.md’s numbers hold together', () => {
    expect(problems({})).toEqual([]);
    expect(DEFAULT_CAMPAIGN_RULES).toMatchObject({ customerCap: { messages: 2, days: 7 }, campaignCap: { messages: 1, days: 30 }, quietHours: { from: '21:00', until: '08:00' }, controlShare: 0.1, attributionWindowDays: 14 });
  });

  it.each<[Partial<CampaignRules>, string]>([
    [{ customerCap: { messages: 0, days: 7 } }, 'customerCap needs whole messages and days above 0'],
    [{ campaignCap: { messages: 1.5, days: 30 } }, 'campaignCap needs whole messages and days above 0'],
    [{ campaignCap: { messages: 3, days: 7 } }, 'campaignCap must not allow more messages than customerCap'],
    [{ quietChannels: ['fax'] }, 'quietChannels must name channels'],
    [{ quietChannels: ['sms', 'sms'] }, 'quietChannels must name channels'],
    [{ quietHours: { from: '9pm', until: '08:00' } }, "quietHours needs 'HH:mm' times"],
    [{ quietHours: { from: '08:00', until: '08:00' } }, 'quietHours.from and until must differ'],
    [{ defaultTimeZone: 'China/Beijing' }, "defaultTimeZone: 'China/Beijing' is not an IANA time zone"],
    [{ controlShare: 0.6 }, 'controlShare must be between 0 and maxControlShare (0.5)'],
    [{ controlShare: -0.1 }, 'controlShare must be between 0'],
    [{ maxControlShare: 1 }, 'maxControlShare must be at least 0 and below 1'],
    [{ attributionWindowDays: 0 }, 'attributionWindowDays must be a whole number of days from 1 to 365'],
    [{ kpiYellowShare: 1 }, 'kpiYellowShare must be above 0 and below 1'],
    [{ kpiRedWeeks: 0 }, 'kpiRedWeeks must be a whole number above 0'],
    [{ channelSuggestionRatio: 1 }, 'channelSuggestionRatio must be above 1'],
    [{ retireBelowOpenRate: 0 }, 'retireBelowOpenRate must be above 0 and below 1'],
    [{ retireMinDeliveries: 0 }, 'retireMinDeliveries must be a whole number above 0'],
  ])('refuses %j, naming the field', (over, message) => {
    expect(problems(over).join('; ')).toContain(message);
  });

  it.each([
    ['20:59', false],
    ['21:00', true],
    ['23:59', true],
    ['00:00', true],
    ['07:59', true],
    ['08:00', false],
    ['12:00', false],
  ])('21:00–08:00 across midnight: %s quiet is %s', (hhmm, quiet) => {
    expect(isQuietMinute(at(hhmm), DEFAULT_CAMPAIGN_RULES.quietHours)).toBe(quiet);
  });

  it('a window within the day (12:00–14:00) is quiet inside only', () => {
    const lunch = { from: '12:00', until: '14:00' };
    expect([at('11:59'), at('12:00'), at('13:59'), at('14:00')].map((m) => isQuietMinute(m, lunch))).toEqual([false, true, true, false]);
  });

  it('any window and its complement split the day: every minute is quiet in exactly one of them', () => {
    const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    fc.assert(
      fc.property(hhmm, hhmm, fc.integer({ min: 0, max: 1439 }), (from, until, minute) => {
        fc.pre(from !== until);
        expect(isQuietMinute(minute, { from, until }) !== isQuietMinute(minute, { from: until, until: from })).toBe(true);
      }),
    );
  });
});
