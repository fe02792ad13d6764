import type { ProfileFeatures } from '@meridian/events';

const CNY = 100;

/** A GOLD customer active yesterday, two products, a first product two months back (NEW still runs out some day): tests set what they decide on. */
export function sampleFeatures(over: Partial<ProfileFeatures> = {}): ProfileFeatures {
  return {
    aumMinor: 600_000 * CNY,
    productsHeld: ['DEPOSIT_CURRENT', 'WEALTH'],
    txnCount30d: 12,
    txnCount90d: 30,
    txnAmount30dMinor: 40_000 * CNY,
    txnAmount90dMinor: 120_000 * CNY,
    tags: [],
    firstProductAt: '2026-10-01T09:00:00+08:00',
    lastTransactionAt: '2026-11-30T10:00:00+08:00',
    lastActivityAt: '2026-11-30T10:00:00+08:00',
    asOf: '2026-11-30T10:00:00+08:00',
    ...over,
  };
}

/** The same customer long established (first product in January 2024), paid through payroll, with the prior-60-day count and 90-day peak churn reads. */
export function establishedFeatures(over: Partial<ProfileFeatures> = {}): ProfileFeatures {
  return sampleFeatures({ tags: ['PAYROLL'], firstProductAt: '2024-01-10T09:00:00+08:00', txnCountPrior60d: 18, aumPeak90dMinor: 620_000 * CNY, ...over });
}
