import fc from 'fast-check';
import { residentId } from '../fixtures/event-samples';
import { hasValidResidentIdChecksum, residentIdBirthDate, residentIdCheckChar, residentIdProblem } from './resident-id';

describe('GB 11643 resident ID', () => {
  it.each([
    // Published GB 11643 example and hand-checked numbers.
    ['11010519491231002X', true],
    ['440524188001010014', true],
    ['110105194912310021', false],
    ['11010519491231002x', false],
  ])('checksum of %s is valid: %s', (id, valid) => {
    expect(hasValidResidentIdChecksum(id)).toBe(valid);
  });

  it.each([
    ['1101051949123100', 'shape'],
    ['11010519491231002Y', 'shape'],
    ['110105194902300021', 'birthDate'], // 30 February
    ['110105209901010021', 'birthDate'], // born in 2099
    ['110105194912310021', 'checksum'],
    ['11010519491231002X', undefined],
  ])('%s → %s', (id, problem) => {
    expect(residentIdProblem(id, '2026-11-22')).toBe(problem);
  });

  it('reads the birth date it carries', () => {
    expect(residentIdBirthDate('11010519491231002X')).toBe('1949-12-31');
    expect(residentIdBirthDate('110105194913310021')).toBeUndefined();
  });

  it('accepts every ID built with the right check character, for any real date', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2026-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 999 }),
        (date, seq) => {
          const birth = date.toISOString().slice(0, 10).replace(/-/g, '');
          const id = residentId(birth, '310101', String(seq).padStart(3, '0'));
          return residentIdProblem(id, '2026-11-22') === undefined;
        },
      ),
    );
  });

  it('refuses any single wrong check character', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-6]\d{5}19[5-9]\d(0[1-9]|1[0-2])(0[1-9]|1\d|2[0-8])\d{3}$/), fc.constantFrom(...'0123456789X'), (first17, check) => {
        fc.pre(check !== residentIdCheckChar(first17));
        return residentIdProblem(first17 + check, '2026-11-22') === 'checksum';
      }),
    );
  });
});
