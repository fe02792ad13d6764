import fc from 'fast-check';
import { FACT_KEY_CHARS, factKeyOf, hasFactKey, withFactKey } from './fact-key';

describe('fact keys (issue 9, point 6)', () => {
  const txn = (sourceSystem: string, transactionId: string) => factKeyOf('TransactionPosted', { sourceSystem, transactionId, amountMinor: 1 });

  it.each([
    ['the same transaction, other content', txn('core', 'T1'), factKeyOf('TransactionPosted', { sourceSystem: 'core', transactionId: 'T1', amountMinor: 2 }), true],
    ['another transactionId', txn('core', 'T1'), txn('core', 'T2'), false],
    ['another sourceSystem', txn('core', 'T1'), txn('cards', 'T1'), false],
    ['values that would run together', txn('core|', 'T1'), txn('core', '|T1'), false],
    ['an interaction with the same id', txn('core', 'T1'), factKeyOf('InteractionRecorded', { sourceSystem: 'core', interactionId: 'T1' }), false],
  ])('%s → same key: %s', (_what, a, b, same) => {
    expect(a).toHaveLength(FACT_KEY_CHARS);
    expect(a === b).toBe(same);
  });

  it.each([
    ['a balance', 'BalanceSnapshot', { sourceSystem: 'core', productId: 'P1' }],
    ['a transaction without its id', 'TransactionPosted', { sourceSystem: 'core' }],
  ])('%s has none', (_what, type, payload) => {
    expect(factKeyOf(type, payload)).toBeUndefined();
  });

  it('a bucket holds each key once, sorted, whatever order they come in (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 8 })), (ids) => {
        const keys = ids.map((id) => txn('core', id)!);
        const list = keys.reduce<string | undefined>((acc, k) => withFactKey(acc, k), undefined);
        const expected = [...new Set(keys)].sort().join('');
        expect(list ?? '').toBe(expected);
        for (const k of keys) expect(hasFactKey(list, k)).toBe(true);
        expect(hasFactKey(list, txn('other', 'never')!)).toBe(false);
      }),
    );
  });
});
