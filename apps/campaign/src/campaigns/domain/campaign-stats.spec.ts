import { DEFAULT_CAMPAIGN_RULES } from './campaign-rules';
import { outcomesOf, statsOf } from './campaign-stats';

describe('outcomesOf: uplift and ROI against hand-computed figures', () => {
  it('900 treated, 100 held out: rates, uplift and its 95 % interval, incremental AUM and products, ROI', () => {
    const o = outcomesOf({ sent: 900, control: 100, 'converted:TREATMENT': 90, 'converted:CONTROL': 5, 'aum:TREATMENT': 450_000_000, 'aum:CONTROL': 20_000_000, 'products:TREATMENT': 120, 'products:CONTROL': 8, costMinor: 4_500, attributedValueMinor: 77 });
    // pT = 0.1, pC = 0.05; se = sqrt(0.1·0.9/900 + 0.05·0.95/100) = sqrt(0.0001 + 0.000475) = 0.0239792
    expect(o.treatment.conversionRate).toBeCloseTo(0.1, 12);
    expect(o.control.conversionRate).toBeCloseTo(0.05, 12);
    expect(o.uplift?.value).toBeCloseTo(0.05, 12);
    expect(o.uplift?.ci95[0]).toBeCloseTo(0.05 - 1.959964 * 0.0239792, 5);
    expect(o.uplift?.ci95[1]).toBeCloseTo(0.05 + 1.959964 * 0.0239792, 5);
    // AUM per customer 500,000 vs 200,000 minor → 300,000 × 900 = 270,000,000; products 0.1333… − 0.08 → × 900 = 48.
    expect(o.incrementalAumMinor).toBe(270_000_000);
    expect(o.incrementalProducts).toBe(48);
    expect(o.roi).toBeCloseTo((270_000_000 - 4_500) / 4_500, 9);
    expect(o.attributedValueMinor).toBe(77);
  });

  it('names no uplift without a control arm, and no ROI without a cost', () => {
    expect(outcomesOf({ sent: 10, 'converted:TREATMENT': 1 }).uplift).toBeUndefined();
    expect(outcomesOf({ sent: 10, control: 2 }).roi).toBeUndefined();
  });
});

describe('statsOf: the funnel from the counters, with the suggestions', () => {
  it('prefers a channel converting at least twice another, each with enough messages', () => {
    const s = statsOf({ 'sent:channel:wechat': 200, 'converted:channel:wechat': 30, 'sent:channel:sms': 400, 'converted:channel:sms': 15, 'sent:channel:email': 199, 'converted:channel:email': 0 }, DEFAULT_CAMPAIGN_RULES);
    expect(s.suggestions).toEqual(['prefer wechat to sms: it converts 15.0 % against 3.8 %']);
  });

  it('splits the counters by step, channel and variant', () => {
    const s = statsOf({ sent: 3, control: 1, costMinor: 7, 'suppressed:BUDGET': 2, 'sent:channel:sms': 1, 'sent:channel:app_push': 2, 'delivered:channel:app_push': 2, 'sent:variant:push/young': 2, delivered: 2, dispatched: 3, failed: 0, 'dispatched:channel:sms': 1 }, DEFAULT_CAMPAIGN_RULES);
    expect(s.funnel).toEqual({ sent: 3, dispatched: 3, failed: 0, delivered: 2, opened: 0, clicked: 0, optedOut: 0, converted: 0 });
    expect(s.byChannel).toEqual({ sms: { sent: 1, dispatched: 1, failed: 0, delivered: 0, opened: 0, clicked: 0, optedOut: 0, converted: 0 }, app_push: { sent: 2, dispatched: 0, failed: 0, delivered: 2, opened: 0, clicked: 0, optedOut: 0, converted: 0 } });
    expect(s.byVariant['push/young'].sent).toBe(2);
    expect([s.control, s.costMinor, s.suppressed]).toEqual([1, 7, { BUDGET: 2 }]);
    expect(s.suggestions).toEqual([]);
  });

  it('flags a variant opened by under 5 % of at least 1,000 deliveries, and not one with fewer deliveries or more opens', () => {
    const s = statsOf({ 'delivered:variant:a/default': 1000, 'opened:variant:a/default': 49, 'delivered:variant:b/x': 999, 'opened:variant:b/x': 0, 'delivered:variant:c/y': 1000, 'opened:variant:c/y': 50 }, DEFAULT_CAMPAIGN_RULES);
    expect(s.suggestions).toEqual(['retire a/default: opened by 4.9 % of 1000 deliveries, below 5 %']);
  });
});
