import type { SegmentFacts } from './segment-facts';
import { FACT_FIELDS } from './fact-fields';

/** Every field filled (Required: a field added to SegmentFacts must be added here, and then to the schema). */
const everyField: Required<SegmentFacts> = {
  aumMinor: 1, productsHeld: ['WEALTH'], lastActivityAt: '2026-11-30T10:00:00+08:00', txnCount30d: 1, txnCount90d: 1,
  txnAmount30dMinor: 1, txnAmount90dMinor: 1, ageBand: '26-35', tags: ['PAYROLL'],
  consents: { marketing: { sms: true, email: true, app_push: true, wechat: true, phone: true }, profiling: true },
  liabilitiesMinor: 1, aumPeak90dMinor: 1, aumChange30dMinor: -1, lastTransactionAt: '2026-11-30T10:00:00+08:00',
  firstProductAt: '2026-11-30T10:00:00+08:00', productsClosed90d: 1, txnCountPrior60d: 1,
  byCategory30d: { PURCHASE: { n: 1, cnyMinor: 1 } }, byCategory90d: { PAYROLL: { n: 1, cnyMinor: 1 } },
  byChannel30d: { COUNTER: { n: 1, cnyMinor: 1 } }, byChannel90d: { MOBILE: { n: 1, cnyMinor: 1 } },
  monthlyInflow3mMinor: 1, crossBorder90d: 1, appLogins30d: 1, appLoginsPrior30d: 1, complaints90d: 1, latestCsat: 1,
  latestNps: 1, age: 30, customerType: 'PERSONAL', riskTolerance: 'R3', branchId: 'BR001', rmId: 'RM1',
  balancesByType: { WEALTH: 1 }, fees90dMinor: 1, asOf: '2026-11-30T10:00:00+08:00', tier: 'GOLD', lifecycleStage: 'ACTIVE',
  churnScore: 0.2, churnBand: 'LOW', rfm: { r: 5, f: 4, m: 3, segment: 'Champions' }, clvMinor: 1,
};

function leafPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix.slice(0, -1)];
  return Object.entries(value).flatMap(([k, v]) => leafPaths(v, `${prefix}${k}.`));
}

describe('FACT_FIELDS: the paths a rule may name', () => {
  it('holds every leaf path of a fully filled SegmentFacts', () => {
    const missing = leafPaths(everyField).filter((p) => !FACT_FIELDS.has(p));
    expect(missing).toEqual([]);
  });

  it.each([
    ['aumMinor', 'number'],
    ['byCategory30d.PURCHASE.n', 'number'],
    ['byChannel90d.COUNTER.cnyMinor', 'number'],
    ['balancesByType.MORTGAGE', 'number'],
    ['consents.marketing.sms', 'boolean'],
    ['rfm.segment', 'enum'],
    ['tier', 'enum'],
    ['lastActivityAt', 'dateTime'],
    ['productsHeld', 'array'],
    ['tags', 'array'],
    ['byCategory30d', 'object'],
    ['consents.marketing', 'object'],
  ])('%s is a %s', (path, kind) => {
    expect(FACT_FIELDS.get(path)?.kind).toBe(kind);
  });

  it.each(['name', 'idNumber', 'phone', 'byCategory30d.PURCHASE', 'byChannel30d.PAYROLL.n', 'balancesByType.GOLD', 'consents.marketing.fax', 'rfm.x', '__proto__', 'constructor'])(
    'does not hold %s',
    (path) => expect(FACT_FIELDS.has(path) && FACT_FIELDS.get(path)?.kind !== 'object').toBe(false),
  );
});
