import {
  CHURN_RISK_BANDS,
  CUSTOMER_TYPES,
  LIFECYCLE_STAGES,
  MARKETING_CHANNELS,
  PRODUCT_TYPES,
  RFM_SEGMENTS,
  RISK_TOLERANCES,
  TIERS,
  TRANSACTION_CATEGORIES,
  TRANSACTION_CHANNELS,
} from '../enums';
import type { Consents, MarketingConsents } from '../topics/core-customers/customer-upserted.event';
import type { SegmentFacts } from './segment-facts';

/** What a value a rule compares an element of an array field with may be. */
export type ElementKind = { kind: 'enum'; values: readonly string[] } | { kind: 'string' };

/**
 * What a rule may do with a field (ADR 0004: no field paths outside the snapshot): compare
 * numbers, match strings, enum values and booleans, test array membership — and, for an
 * offset date-time or a sub-document, only ask whether it exists (see rule-query.ts).
 */
export type FieldKind =
  | { kind: 'number' }
  | { kind: 'string' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'boolean' }
  | { kind: 'dateTime' }
  | { kind: 'array'; element: ElementKind }
  | { kind: 'object' };

type Shape = Exclude<FieldKind, { kind: 'object' }> | { kind: 'object'; fields: Readonly<Record<string, Shape>> };

const number: Shape = { kind: 'number' };
const string: Shape = { kind: 'string' };
const boolean: Shape = { kind: 'boolean' };
const dateTime: Shape = { kind: 'dateTime' };
const oneOf = (values: readonly string[]): Shape => ({ kind: 'enum', values });

/** A sub-document's fields: every key of T, optional or not, must be named (a new field fails tsc). */
const fieldsOf = <T>(fields: { [K in keyof Required<T>]-?: Shape }): Shape => ({ kind: 'object', fields });
const byKey = <K extends string>(keys: readonly K[], shape: Shape): Record<K, Shape> =>
  Object.fromEntries(keys.map((k) => [k, shape])) as Record<K, Shape>;

/** ProfileFeatures' tallies: `{ PURCHASE: { n, cnyMinor } }`, keyed by the contract's categories or channels. */
const tally = (keys: readonly string[]): Shape =>
  ({ kind: 'object', fields: byKey(keys, fieldsOf<{ n: number; cnyMinor: number }>({ n: number, cnyMinor: number })) });

/** Every field of SegmentFacts, by its key: a field added to SegmentFacts without an entry here fails tsc. */
const SEGMENT_FACTS_SHAPE: { [K in keyof Required<SegmentFacts>]-?: Shape } = {
  aumMinor: number,
  productsHeld: { kind: 'array', element: { kind: 'enum', values: PRODUCT_TYPES } },
  lastActivityAt: dateTime,
  txnCount30d: number,
  txnCount90d: number,
  txnAmount30dMinor: number,
  txnAmount90dMinor: number,
  ageBand: string,
  tags: { kind: 'array', element: { kind: 'string' } },
  consents: fieldsOf<Consents>({
    marketing: fieldsOf<MarketingConsents>(byKey(MARKETING_CHANNELS, boolean)),
    profiling: boolean,
  }),
  liabilitiesMinor: number,
  aumPeak90dMinor: number,
  aumChange30dMinor: number,
  lastTransactionAt: dateTime,
  firstProductAt: dateTime,
  productsClosed90d: number,
  txnCountPrior60d: number,
  byCategory30d: tally(TRANSACTION_CATEGORIES),
  byCategory90d: tally(TRANSACTION_CATEGORIES),
  byChannel30d: tally(TRANSACTION_CHANNELS),
  byChannel90d: tally(TRANSACTION_CHANNELS),
  monthlyInflow3mMinor: number,
  crossBorder90d: number,
  appLogins30d: number,
  appLoginsPrior30d: number,
  complaints90d: number,
  latestCsat: number,
  latestNps: number,
  age: number,
  customerType: oneOf(CUSTOMER_TYPES),
  riskTolerance: oneOf(RISK_TOLERANCES),
  branchId: string,
  rmId: string,
  balancesByType: { kind: 'object', fields: byKey(PRODUCT_TYPES, number) },
  fees90dMinor: number,
  asOf: dateTime,
  tier: oneOf(TIERS),
  lifecycleStage: oneOf(LIFECYCLE_STAGES),
  churnScore: number,
  churnBand: oneOf(CHURN_RISK_BANDS),
  rfm: fieldsOf<SegmentFacts['rfm']>({ r: number, f: number, m: number, segment: oneOf(RFM_SEGMENTS) }),
  clvMinor: number,
};

function flatten(fields: Readonly<Record<string, Shape>>, prefix: string, into: Map<string, FieldKind>): Map<string, FieldKind> {
  for (const [key, shape] of Object.entries(fields)) {
    const path = `${prefix}${key}`;
    if (shape.kind === 'object') {
      into.set(path, { kind: 'object' });
      flatten(shape.fields, `${path}.`, into);
    } else into.set(path, shape);
  }
  return into;
}

/**
 * The field paths a tag or segment rule may name, dotted as in a Mongo query
 * (`byCategory30d.PURCHASE.n`, `balancesByType.WEALTH`, `consents.marketing.sms`, `rfm.r`),
 * each with its kind. A Map, so `__proto__` or `constructor` is never found by accident.
 */
export const FACT_FIELDS: ReadonlyMap<string, FieldKind> = flatten(SEGMENT_FACTS_SHAPE, '', new Map());
