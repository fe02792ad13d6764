import fc from 'fast-check';
import { currencyExponent, parseFxTable, toCnyMinor, toMinorUnits } from './money';

describe('money (CONTRACTS.md §1: decimal strings in, integer minor units inside)', () => {
  it.each([
    ['1234.56', 'CNY', 123456],
    ['1234.5', 'CNY', 123450],
    ['1234', 'CNY', 123400],
    ['0.01', 'CNY', 1],
    ['1500', 'JPY', 1500],
    ['1500.00', 'JPY', 1500],
    ['1.234', 'KWD', 1234],
    ['-20.5', 'CNY', -2050],
  ])('%s %s → %d', (amount, currency, minor) => {
    expect(toMinorUnits(amount, currency)).toEqual({ minor });
  });

  it('refuses more decimals than the currency has, and amounts beyond safe integers', () => {
    expect(toMinorUnits('1500.5', 'JPY')).toEqual({ problem: 'tooManyDecimals' });
    expect(toMinorUnits('99999999999999999.99', 'CNY')).toEqual({ problem: 'tooLarge' });
    expect(currencyExponent('USD')).toBe(2);
  });

  it('keeps every 2-decimal CNY amount exact (no floating point)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 9_000_000_000_000_000n }), (fen) => {
        const text = `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;
        expect(toMinorUnits(text, 'CNY')).toEqual({ minor: Number(fen) });
      }),
    );
  });

  it('converts to CNY fen at the configured rate, rounding half away from zero', () => {
    const table = parseFxTable('USD=7.1034, JPY=0.0473,EUR=7.8');
    expect(toCnyMinor(10_000, 'USD', table)).toBe(71_034); // 100.00 USD
    expect(toCnyMinor(1, 'USD', table)).toBe(7); // 0.01 USD = 0.071034 CNY
    expect(toCnyMinor(1_000_000, 'JPY', table)).toBe(4_730_000); // ¥1,000,000
    expect(toCnyMinor(5, 'EUR', table)).toBe(39); // 0.05 × 7.8 = 0.39
    expect(toCnyMinor(-5, 'EUR', table)).toBe(-39);
    expect(toCnyMinor(12_345, 'CNY', table)).toBe(12_345);
    expect(toCnyMinor(100, 'GBP', table)).toBeUndefined();
  });

  it('refuses a malformed FX table, naming the entry', () => {
    expect(() => parseFxTable('USD=seven')).toThrow(/USD=seven/);
    expect(() => parseFxTable('usd=7.1')).toThrow(/usd=7.1/);
    expect(() => parseFxTable('USD=0')).toThrow(/USD=0/);
    expect(() => parseFxTable('CNY=1')).toThrow(/CNY/);
  });
});
