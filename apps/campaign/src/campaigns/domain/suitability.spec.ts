import { RISK_TOLERANCES, RiskTolerance } from '@meridian/events';
import { isSuitable } from './suitability';

describe('suitability (投资者适当性管理): an investment offer only up to the customer’s risk tolerance', () => {
  it.each<[RiskTolerance, RiskTolerance | undefined, boolean]>([
    ['R3', 'R3', true],
    ['R3', 'R5', true],
    ['R3', 'R2', false],
    ['R5', 'R4', false],
    ['R1', undefined, true],
    ['R2', undefined, false],
  ])('an %s product to a customer of tolerance %s: %s', (offer, tolerance, suitable) => {
    expect(isSuitable(offer, tolerance)).toBe(suitable);
  });

  it('an offer that is no investment suits everyone', () => {
    for (const t of [...RISK_TOLERANCES, undefined]) expect(isSuitable(undefined, t)).toBe(true);
  });

  it('is monotone: a customer suited to a level is suited to every lower one', () => {
    for (const tolerance of RISK_TOLERANCES) {
      const suited = RISK_TOLERANCES.map((level) => isSuitable(level, tolerance));
      expect(suited).toEqual([...suited].sort((a, b) => Number(b) - Number(a)));
    }
  });
});
