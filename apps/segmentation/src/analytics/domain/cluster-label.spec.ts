import { clusterLabel } from './cluster-label';

// Features: r, f, m, churnScore, logAumCny, productsHeld, digitalShare.
describe('clusterLabel', () => {
  it.each([
    ['nothing stands out', [0.1, -0.2, 0, 0.4, -0.49, 0, 0], 'typical'],
    ['the strongest two, strongest first', [0.6, 0, 0, 0, 2, 0, -1], 'affluent, branch-reliant'],
    ['low reads as low', [-1.5, 0, 0, 1.2, 0, 0, 0], 'lapsed, at churn risk'],
    ['exactly the threshold counts', [0, 0, 0, 0, 0, 0.5, 0], 'multi-product'],
  ])('%s', (_, z, label) => {
    expect(clusterLabel(z)).toBe(label);
  });

  it('more traits when asked', () => {
    expect(clusterLabel([1, 2, 3, 0, 0, 0, 0], { traits: 3 })).toBe('big spenders, frequent, recent');
  });
});
