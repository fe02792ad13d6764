import fc from 'fast-check';
import { armPoint, isControl } from './control-group';

const customers = Array.from({ length: 10_000 }, (_, i) => `C${String(100_000 + i)}`);

describe('the control group: a stable hash of customerId and campaignId', () => {
  it.each([0.05, 0.1, 0.2, 0.5])('holds out %s of 10,000 customers, within 2 points', (share) => {
    const held = customers.filter((c) => isControl('CMP-retention', c, share)).length / customers.length;
    expect(Math.abs(held - share)).toBeLessThanOrEqual(0.02);
  });

  it('puts a customer in the same arm every time it is asked', () => {
    const first = customers.map((c) => isControl('CMP-onboarding', c, 0.1));
    expect(customers.map((c) => isControl('CMP-onboarding', c, 0.1))).toEqual(first);
  });

  it('draws each campaign’s control group afresh: two campaigns share about share² of their customers', () => {
    const both = customers.filter((c) => isControl('CMP-a', c, 0.1) && isControl('CMP-b', c, 0.1)).length / customers.length;
    expect(both).toBeLessThan(0.03);
  });

  it('a point is in [0, 1), and a larger share holds out everyone a smaller one did', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (campaignId, customerId, a, b) => {
        const p = armPoint(campaignId, customerId);
        expect(p >= 0 && p < 1).toBe(true);
        if (isControl(campaignId, customerId, Math.min(a, b))) expect(isControl(campaignId, customerId, Math.max(a, b))).toBe(true);
      }),
    );
  });

  it('no one is held out at share 0', () => {
    expect(customers.some((c) => isControl('CMP-x', c, 0))).toBe(false);
  });
});
