import { ArmTouch, CampaignGoalTerms, GoalEvent, attribute, conversionOf } from './conversion';

const DAY = 86_400_000;
const T0 = Date.parse('2026-12-01T02:00:00Z');
const touch = (campaignId: string, days: number, arm: ArmTouch['arm'] = 'TREATMENT', aumMinor = 1_000_000): ArmTouch => ({ campaignId, arm, at: T0 + days * DAY, messageId: `m-${campaignId}`, channel: 'app_push', variant: 't/default', aumMinor });
const wealth: CampaignGoalTerms = { goal: { kind: 'PRODUCT_OPENED', productType: 'WEALTH' }, windowDays: 14, offerValueMinor: 500 };
const opened = (days: number, productType: 'WEALTH' | 'FUND' = 'WEALTH'): GoalEvent => ({ eventId: 'e', customerId: 'C1', at: new Date(T0 + days * DAY).toISOString(), kind: 'PRODUCT_OPENED', productType });

describe('attribution: a goal event within the window, credited to the last touch', () => {
  it('converts inside the window only, on the goal only', () => {
    expect(conversionOf(opened(3), touch('a', 0), wealth)?.valueMinor).toBe(500);
    expect(conversionOf(opened(14), touch('a', 0), wealth)).toBeDefined();
    expect(conversionOf(opened(14.01), touch('a', 0), wealth)).toBeUndefined();
    expect(conversionOf(opened(-0.01), touch('a', 0), wealth)).toBeUndefined();
    expect(conversionOf(opened(3, 'FUND'), touch('a', 0), wealth)).toBeUndefined();
  });

  it('an AUM goal converts on the increase since the decision, worth that increase', () => {
    const terms: CampaignGoalTerms = { goal: { kind: 'AUM_INCREASE', minMinor: 100_000 }, windowDays: 14, offerValueMinor: 0 };
    const aum = (aumMinor: number): GoalEvent => ({ eventId: 'p', customerId: 'C1', at: new Date(T0 + DAY).toISOString(), kind: 'AUM', aumMinor, version: 3 });
    expect(conversionOf(aum(1_099_999), touch('a', 0), terms)).toBeUndefined();
    expect(conversionOf(aum(1_250_000), touch('a', 0), terms)?.valueMinor).toBe(250_000);
  });

  it('every campaign counts its arm’s conversion; the credit goes to the last treated touch before the event', () => {
    const terms = (id: string) => (id === 'x' ? undefined : wealth);
    const { conversions, credited } = attribute(opened(5), [touch('a', 1), touch('b', 3), touch('c', 4, 'CONTROL'), touch('d', 6), touch('x', 2)], terms);
    expect(conversions.map((c) => c.touch.campaignId)).toEqual(['a', 'b', 'c']);
    expect(credited?.touch.campaignId).toBe('b');
    expect(attribute(opened(5), [touch('c', 4, 'CONTROL')], terms).credited).toBeUndefined();
  });
});
