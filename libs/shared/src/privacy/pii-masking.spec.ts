import fc from 'fast-check';
import { MASK, maskEmail, maskFreeText, maskIdNumber, maskName, maskPhone, visibleBudget } from './pii-masking';

/** Characters of the original a masked value shows (originals in these tests hold no star). */
const shown = (masked: string) => [...masked].filter((c) => c !== MASK).length;

const LETTERS = 'ABCDEFGHIJKLMNOPQRST';
const DIGITS = '12345678901234567890';
const asDigits = (s: string) => s.replace(/[A-T]/g, (c) => DIGITS[LETTERS.indexOf(c)]);

describe('PII masking (DOMAIN.md: what a teller sees; at most a third shows)', () => {
  it.each([
    [1, '*'],
    [2, '**'],
    [3, '**C'],
    [4, '***D'],
    [5, '****E'],
    [6, 'A****F'],
    [7, 'A*****G'],
    [8, 'A******H'],
    [9, 'A******HI'],
    [10, 'A*******IJ'],
    [11, 'A********JK'],
    [12, 'AB********KL'],
    [13, 'AB*********LM'],
    [14, 'AB**********MN'],
    [15, 'AB**********MNO'],
    [16, 'AB***********NOP'],
    [17, 'AB************OPQ'],
    [18, 'ABC************PQR'],
    [19, 'ABC*************QRS'],
    [20, 'ABC**************RST'],
  ])('a value of length %i → %s (ID numbers and phones alike)', (length, masked) => {
    expect(maskIdNumber(LETTERS.slice(0, length))).toBe(masked);
    expect(maskPhone(DIGITS.slice(0, length))).toBe(asDigits(masked));
    expect(shown(masked)).toBeLessThanOrEqual(Math.floor(length / 3));
  });

  it.each([
    ['an 8-digit phone', maskPhone, '62345678', '6******8'],
    ['a 9-character passport', maskIdNumber, 'E12345678', 'E******78'],
    ['an 11-digit mobile', maskPhone, '13812345678', '1********78'],
    ['a +86 mobile', maskPhone, '+8613812345678', '+861********78'],
    ['an 18-character resident ID', maskIdNumber, '110105198802141234', '110************234'],
    ['an email', maskEmail, 'zhang.san@example.com', 'z***@***e.com'],
    ['a short email', maskEmail, 'a@b.cn', 'a@***'],
    ['an email too short for its @', maskEmail, 'a@b', '***@***'],
    ['a two-character name', maskName, '张三', '**'],
    ['a three-character name', maskName, '欧阳娜', '欧**'],
    ['a four-character name', maskName, '欧阳娜娜', '欧***'],
    ['a one-character name', maskName, 'Z', '*'],
    ['a long latin name', maskName, 'Zhang Sanfeng', 'Zhan***'],
  ])('%s: %#', (_what, mask, value, masked) => expect((mask as (v: string) => string)(value)).toBe(masked));

  const value = fc.string({ unit: fc.constantFrom(...'0123456789ABCXYZ张欧阳娜@.-_'.split('')), minLength: 0, maxLength: 40 });
  it.each([
    ['maskIdNumber', maskIdNumber],
    ['maskName', maskName],
    ['maskEmail', maskEmail],
  ])('%s never shows more than floor(length / 3) characters', (_name, mask) => {
    fc.assert(fc.property(value, (v) => shown(mask(v)) <= visibleBudget([...v].length)));
  });

  it('maskPhone never shows more than a third of the national number (+86 is the dialling plan)', () => {
    const phone = fc.tuple(fc.boolean(), fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), maxLength: 20 }));
    fc.assert(fc.property(phone, ([international, digits]) => shown(maskPhone(international ? `+86${digits}` : digits)) - (international ? 3 : 0) <= Math.floor(digits.length / 3)));
  });
});

describe('free text in a masked view (a subject, a topic)', () => {
  it.each([
    ['卡号6222020200112233丢失', '卡号62***********233丢失'],
    ['call me on 138-1234-5678 please', 'call me on 1**-****-**78 please'],
    ['ID 11010519880214123X', 'ID 11************123X'],
    ['mail zhang.wei@example.com now', `mail ${maskEmail('zhang.wei@example.com')} now`],
    ['转账失败 3 次，金额 500 元', '转账失败 3 次，金额 500 元'],
    ['手机１３８１２３４５６７８', '手机１********７８'],
    ['card 6222.0202.0011.2233', 'card 62**.****.****.*233'],
    ['card 6222 - 0202 - 0011 - 2233', 'card 62** - **** - **** - *233'],
    ['call 138 - 1234 - 5678 or 138  1234  5678', 'call 1** - **** - **78 or 1**  ****  **78'],
    ['电话13812345678，13912345678', '电话1********78，1********78'],
    ['13812345678 6222020200112233', '1********78 62***********233'],
    ['卡号6222020200112233.05到期', '卡号622************3.05到期'],
    ['comma-grouped digits read as an amount: 13,812,345,678', 'comma-grouped digits read as an amount: 13,812,345,678'],
    ['card 6222_0202_0011_2233', 'card 62**_****_****_*233'],
    ['6222 0202 0011 2233 / 138 1234 5678', '62** **** **** *233 / 1** **** **78'],
    ['logged on 2026-12-02 at 10:30', 'logged on 2026-12-02 at 10:30'],
    ['on 2026/12/02, 500000.00 元 and 1,000,000.00 元', 'on 2026/12/02, 500000.00 元 and 1,000,000.00 元'],
    ['联系 张三@例子.中国', `联系 ${maskEmail('张三@例子.中国')}`],
    ['lost card', 'lost card'],
  ])('%s → %s', (text, masked) => {
    expect(maskFreeText(text)).toBe(masked);
  });

  it('shows at most a third of the digits of any long number, and keeps the rest of the text as it was', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }).filter((s) => !/[\p{Nd}*@]/u.test(s)), fc.stringMatching(/^\d{6,20}$/), fc.string({ maxLength: 20 }).filter((s) => !/[\p{Nd}*@]/u.test(s)), (before, number, after) => {
        const masked = maskFreeText(`${before}${number}${after}`);
        const digits = [...masked].filter((c) => /\d/.test(c)).length;
        expect(digits).toBeLessThanOrEqual(Math.floor(number.length / 3));
        expect(masked.length).toBe(before.length + number.length + after.length);
      }),
    );
  });
});
