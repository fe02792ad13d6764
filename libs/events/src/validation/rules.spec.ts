import fc from 'fast-check';
import { isBalanceAmount, isCalendarDate, isCurrencyCode, isDecimalAmount, isMinorUnitsByProductType, isOffsetDateTime, isPhone, latestToday } from './rules';

describe('field rules (CONTRACTS.md §1–2)', () => {
  it.each([
    ['1', true],
    ['0.01', true],
    ['1234.56', true],
    ['1234.5', true],
    ['0', false],
    ['0.00', false],
    ['-1', false],
    ['1.234', false],
    ['01', false],
    ['1e3', false],
    ['', false],
    [' 1', false],
    [12, false],
  ])('decimal amount %p → %p', (value, ok) => expect(isDecimalAmount(value)).toBe(ok));

  it('takes the latest calendar date anywhere as today: a Beijing birth before 08:00 is not in the future', () => {
    expect(latestToday(new Date('2026-11-24T23:30:00Z'))).toBe('2026-11-25'); // 07:30 on the 25th in Beijing
    expect(latestToday(new Date('2026-11-24T09:00:00Z'))).toBe('2026-11-24');
  });

  it.each([
    ['0', true],
    ['0.00', true],
    ['1234.56', true],
    ['-1', false],
    ['1.234', false],
    ['01', false],
    ['', false],
  ])('balance amount %p → %p (an empty account or a paid-off loan is a balance)', (value, ok) => expect(isBalanceAmount(value)).toBe(ok));

  it.each([
    [{}, true],
    [{ DEPOSIT_TIME: 40_000_000, CREDIT_CARD: 0 }, true],
    [{ SAVINGS: 1 }, false],
    [{ FUND: 1.5 }, false],
    [{ FUND: -1 }, false],
    [{ FUND: '100' }, false],
    [{ FUND: 2 ** 53 }, false],
    [[], false],
    [null, false],
  ])('balances by product type %p → %p', (value, ok) => expect(isMinorUnitsByProductType(value)).toBe(ok));

  it('accepts every positive amount with ≤2 decimals and refuses 3 decimals', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 15n }), (cents) => {
        const s = `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
        return isDecimalAmount(s) && !isDecimalAmount(`${s}1`);
      }),
    );
  });

  it.each([
    ['13800138000', true],
    ['19912345678', true],
    ['12800138000', false],
    ['1380013800', false],
    ['+8613800138000', true],
    ['+0123', false],
    ['138-0013-8000', false],
  ])('phone %p → %p', (value, ok) => expect(isPhone(value)).toBe(ok));

  it.each([
    ['2026-03-01T09:30:00+08:00', true],
    ['2026-03-01T09:30:00.123Z', true],
    ['2026-03-01T09:30+08:00', true],
    ['2026-03-01T09:30:00', false],
    ['2026-02-30T09:30:00Z', false],
    ['2026-03-01 09:30:00Z', false],
    ['2026-03-01T24:00:00Z', false],
  ])('offset date-time %p → %p', (value, ok) => expect(isOffsetDateTime(value)).toBe(ok));

  it('round-trips any instant written with an offset', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01Z'), max: new Date('2100-01-01Z'), noInvalidDate: true }), (d) =>
        isOffsetDateTime(d.toISOString()),
      ),
    );
  });

  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['1988-13-01', false],
  ])('calendar date %p → %p', (value, ok) => expect(isCalendarDate(value)).toBe(ok));

  it.each([
    ['CNY', true],
    ['USD', true],
    ['HKD', true],
    ['cny', false],
    ['XYZ', false],
    ['RMB', false],
  ])('currency %p → %p', (value, ok) => expect(isCurrencyCode(value)).toBe(ok));
});
