import { DEFAULT_CAMPAIGN_RULES } from './campaign-rules';
import { statsOf } from './campaign-stats';

describe('statsOf: the funnel from the counters, with the retirement suggestion', () => {
  it('splits the counters by step, channel and variant', () => {
    const s = statsOf({ sent: 3, control: 1, costMinor: 7, 'suppressed:BUDGET': 2, 'sent:channel:sms': 1, 'sent:channel:app_push': 2, 'delivered:channel:app_push': 2, 'sent:variant:push/young': 2, delivered: 2 }, DEFAULT_CAMPAIGN_RULES);
    expect(s.funnel).toEqual({ sent: 3, delivered: 2, opened: 0, clicked: 0, optedOut: 0 });
    expect(s.byChannel).toEqual({ sms: { sent: 1, delivered: 0, opened: 0, clicked: 0, optedOut: 0 }, app_push: { sent: 2, delivered: 2, opened: 0, clicked: 0, optedOut: 0 } });
    expect(s.byVariant['push/young'].sent).toBe(2);
    expect([s.control, s.costMinor, s.suppressed]).toEqual([1, 7, { BUDGET: 2 }]);
    expect(s.suggestions).toEqual([]);
  });

  it('flags a variant opened by under 5 % of at least 1,000 deliveries, and not one with fewer deliveries or more opens', () => {
    const s = statsOf({ 'delivered:variant:a/default': 1000, 'opened:variant:a/default': 49, 'delivered:variant:b/x': 999, 'opened:variant:b/x': 0, 'delivered:variant:c/y': 1000, 'opened:variant:c/y': 50 }, DEFAULT_CAMPAIGN_RULES);
    expect(s.suggestions).toEqual(['retire a/default: opened by 4.9 % of 1000 deliveries, below 5 %']);
  });
});
