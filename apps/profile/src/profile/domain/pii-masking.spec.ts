import { maskEmail, maskIdNumber, maskName, maskPhone } from './pii-masking';

describe('PII masking (DOMAIN.md: what a teller sees)', () => {
  it.each([
    ['张三', '张*'],
    ['欧阳娜娜', '欧***'],
    ['Z', '*'],
  ])('name %s → %s', (name, masked) => expect(maskName(name)).toBe(masked));

  it('masks phones, ID numbers and emails as the handbook shows', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+8613812345678')).toBe('+86138****5678');
    expect(maskIdNumber('110105198802141234')).toBe('1101**********1234');
    expect(maskEmail('zhang.san@example.com')).toBe('z***@example.com');
  });
});
