import { foldMerge, foldUnmerge, noMerges } from './merge-facts';

describe('who a customer is at the desk after merges and unmerges', () => {
  it('a merge points the merged customer at the survivor, which holds it and what it held', () => {
    const [merged, survivor] = foldMerge({ ...noMerges('S'), mergedFrom: ['A'] }, { ...noMerges('M'), mergedFrom: ['B'] }, 'mg-1');
    expect(merged).toEqual({ customerId: 'M', mergedFrom: ['B'], mergedInto: 'S', folded: [] });
    expect(survivor).toEqual({ customerId: 'S', mergedFrom: ['A', 'B', 'M'], folded: ['merge:mg-1'] });
  });

  it('folds a merge once: a redelivery changes nothing', () => {
    const [, survivor] = foldMerge(noMerges('S'), noMerges('M'), 'mg-1');
    expect(foldMerge(survivor, noMerges('M'), 'mg-1')).toEqual([]);
  });

  it('a crash between the two writes folds again to the same survivor', () => {
    const [merged, survivor] = foldMerge(noMerges('S'), { ...noMerges('M'), mergedFrom: ['B'] }, 'mg-1');
    expect(foldMerge(noMerges('S'), merged, 'mg-1')[1]).toEqual(survivor);
  });

  it('an unmerge gives the restored customer back what it brought, alone again', () => {
    const [merged, survivor] = foldMerge({ ...noMerges('S'), mergedFrom: ['A'] }, { ...noMerges('M'), mergedFrom: ['B'] }, 'mg-1');
    const [restored, holder] = foldUnmerge(survivor, merged, 'mg-1');
    expect(restored).toEqual({ customerId: 'M', mergedFrom: ['B'], folded: [] });
    expect(holder).toEqual({ customerId: 'S', mergedFrom: ['A'], folded: ['merge:mg-1', 'unmerge:mg-1'] });
    expect(foldUnmerge(holder, restored, 'mg-1')).toEqual([]);
  });
});
