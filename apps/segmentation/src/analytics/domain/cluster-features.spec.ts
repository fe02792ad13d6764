import { clusterVector, inOriginalUnits } from './cluster-features';

const state = (over: { aumMinor?: number; productsHeld?: string[]; byChannel90d?: Record<string, { n: number; cnyMinor: number }> } = {}) =>
  ({
    facts: { rfm: { r: 5, f: 4, m: 3, segment: 'Champions' }, churnScore: 0.12, aumMinor: 99_900, productsHeld: ['WEALTH', 'WEALTH', 'FUND'], txnCount30d: 0, txnCount90d: 0, txnAmount30dMinor: 0, txnAmount90dMinor: 0, tags: [], ...over },
  }) as never;

describe('clusterVector', () => {
  it('RFM, churn, log AUM, distinct products, digital share', () => {
    expect(clusterVector(state({ byChannel90d: { MOBILE: { n: 3, cnyMinor: 1 }, WECHAT: { n: 1, cnyMinor: 1 }, BRANCH: { n: 4, cnyMinor: 1 } } }))).toEqual([5, 4, 3, 0.12, 3, 2, 0.5]);
  });

  it.each([
    ['no channel figures', undefined, 0],
    ['none digital', { BRANCH: { n: 2, cnyMinor: 1 } }, 0],
    ['all digital', { ONLINE: { n: 2, cnyMinor: 1 } }, 1],
  ])('digital share with %s', (_, byChannel90d, share) => {
    expect(clusterVector(state({ byChannel90d }))[6]).toBe(share);
  });

  it('zero AUM is 0 on the log scale and back', () => {
    const v = clusterVector(state({ aumMinor: 0 }));
    expect(v[4]).toBe(0);
    expect(inOriginalUnits(v).aumMinor).toBe(0);
    expect(inOriginalUnits(clusterVector(state({ aumMinor: 600_000_00 }))).aumMinor).toBe(600_000_00);
  });
});
