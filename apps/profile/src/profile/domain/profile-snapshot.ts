import type { ProfileFeatures } from '@meridian/events';
import { ProfileFigures, profileFigures } from './profile-features';
import { ProfileRules } from './profile-rules';
import { ProfileState, canonical } from './profile-state';

/** The identity fields whose change is announced (by name only: ProfileUpdated carries no PII). */
const IDENTITY_FIELDS = ['idType', 'idNumber', 'phone', 'name', 'email', 'birthDate', 'gender', 'customerType', 'branchId', 'rmId', 'riskTolerance'] as const;

/** The feature snapshot of crm.profile.v1 (CONTRACTS.md §4): everything downstream decides on, no PII. */
export function featuresOf(state: ProfileState, figures: ProfileFigures): ProfileFeatures {
  const id = state.identity;
  return canonical({
    aumMinor: figures.aumMinor,
    productsHeld: figures.productsHeld,
    lastActivityAt: state.lastActivityAt,
    txnCount30d: figures.txnCount30d,
    txnCount90d: figures.txnCount90d,
    txnAmount30dMinor: figures.txnAmount30dMinor,
    txnAmount90dMinor: figures.txnAmount90dMinor,
    ageBand: figures.ageBand,
    tags: figures.tags,
    consents: id?.consents,
    liabilitiesMinor: figures.liabilitiesMinor,
    aumPeak90dMinor: figures.aumPeak90dMinor,
    aumChange30dMinor: figures.aumChange30dMinor,
    lastTransactionAt: state.lastTransactionAt,
    firstProductAt: figures.firstProductAt,
    productsClosed90d: figures.productsClosed90d,
    txnCountPrior60d: figures.txnCountPrior60d,
    byCategory30d: figures.byCategory30d,
    byCategory90d: figures.byCategory90d,
    byChannel30d: figures.byChannel30d,
    byChannel90d: figures.byChannel90d,
    monthlyInflow3mMinor: figures.monthlyInflow3mMinor,
    crossBorder90d: figures.crossBorder90d,
    appLogins30d: figures.appLogins30d,
    appLoginsPrior30d: figures.appLoginsPrior30d,
    complaints90d: figures.complaints90d,
    latestCsat: figures.latestCsat,
    latestNps: figures.latestNps,
    age: figures.age,
    customerType: id?.customerType as ProfileFeatures['customerType'],
    riskTolerance: id?.riskTolerance as ProfileFeatures['riskTolerance'],
    branchId: id?.branchId,
    rmId: id?.rmId,
    balancesByType: figures.balancesByType,
    fees90dMinor: figures.fees90dMinor,
    asOf: state.asOf,
  }) as ProfileFeatures;
}

/** A profile with the features it announces: what `changedFields` compares. */
export interface ProfileSnapshot {
  state: ProfileState;
  features: ProfileFeatures;
}

export function snapshotOf(state: ProfileState, rules: ProfileRules): ProfileSnapshot {
  return { state, features: featuresOf(state, profileFigures(state, rules)) };
}

/** What changed between two versions of a profile, by field name: features, and identity fields as `identity.<field>`. */
export function changedFields(before: ProfileSnapshot | undefined, after: ProfileSnapshot): string[] {
  const changed: string[] = [];
  const a = (before?.features ?? {}) as Record<string, unknown>;
  const b = after.features as unknown as Record<string, unknown>;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) changed.push(key);
  }
  for (const field of IDENTITY_FIELDS) {
    if (JSON.stringify(before?.state.identity?.[field]) !== JSON.stringify(after.state.identity?.[field])) changed.push(`identity.${field}`);
  }
  const productsOf = (s?: ProfileState) => JSON.stringify(s?.products.map((p) => [p.productId, p.opened?.at, p.closed?.at, p.balance?.at]) ?? []);
  if (productsOf(before?.state) !== productsOf(after.state)) changed.push('products');
  return changed.sort();
}

/** The features of a profile that holds nothing (a merged pointer, an erased tombstone). */
export function emptyFeatures(): ProfileFeatures {
  return { aumMinor: 0, productsHeld: [], txnCount30d: 0, txnCount90d: 0, txnAmount30dMinor: 0, txnAmount90dMinor: 0, tags: [] };
}
