import { ProductType, TransactionCategory, TransactionChannel } from '@meridian/events';
import { DayBucket, ProductState, ProfileState, Tally } from './profile-state';
import { ProfileRules, addDays, dayOf } from './profile-rules';

/** DOMAIN.md value tiers: AUM = deposits + wealth + funds + insurance cash value. */
export const ASSET_PRODUCTS: ReadonlySet<ProductType> = new Set(['DEPOSIT_CURRENT', 'DEPOSIT_TIME', 'WEALTH', 'FUND', 'INSURANCE']);
export const LIABILITY_PRODUCTS: ReadonlySet<ProductType> = new Set(['CREDIT_CARD', 'MORTGAGE', 'CONSUMER_LOAN', 'BUSINESS_LOAN']);

/** What the profile computes from its state, as of `asOf` (the newest event time). */
export interface ProfileFigures {
  aumMinor: number;
  liabilitiesMinor: number;
  /** CNY balance per product type held open (0 when held with no balance yet), keys sorted: AUM and liabilities by type. */
  balancesByType: Partial<Record<ProductType, number>>;
  productsHeld: ProductType[];
  firstProductAt?: string;
  productsClosed90d: number;
  aumPeak90dMinor: number;
  /** AUM now minus AUM 30 days before asOf. */
  aumChange30dMinor: number;
  txnCount30d: number;
  txnCount90d: number;
  /** Customer-initiated transactions in days 31–90 before asOf (churn: the 30 days vs the 60 before). */
  txnCountPrior60d: number;
  txnAmount30dMinor: number;
  txnAmount90dMinor: number;
  /** FEE transactions of the last 90 days, CNY (DOMAIN.md: CLV counts fees × 4 a year). */
  fees90dMinor: number;
  byCategory30d: Partial<Record<TransactionCategory, Tally>>;
  byCategory90d: Partial<Record<TransactionCategory, Tally>>;
  byChannel30d: Partial<Record<TransactionChannel, Tally>>;
  byChannel90d: Partial<Record<TransactionChannel, Tally>>;
  /** Average monthly inflow over the last 90 days (HIGH_POTENTIAL). */
  monthlyInflow3mMinor: number;
  crossBorder90d: number;
  appLogins30d: number;
  appLoginsPrior30d: number;
  complaints90d: number;
  latestCsat?: number;
  latestNps?: number;
  ageBand?: string;
  age?: number;
  tags: string[];
}

function sortedByKey<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1))) as T;
}

/** The latest CNY balance of each open product, summed per product type; keys sorted. */
function balancesOf(open: ProductState[]): Partial<Record<ProductType, number>> {
  const out: Partial<Record<ProductType, number>> = {};
  for (const p of open) out[p.productType] = (out[p.productType] ?? 0) + (p.balance?.cnyMinor ?? 0);
  return sortedByKey(out);
}

function sumOfTypes(balances: Partial<Record<ProductType, number>>, types: ReadonlySet<ProductType>): number {
  return (Object.entries(balances) as Array<[ProductType, number]>).reduce((s, [type, minor]) => (types.has(type) ? s + minor : s), 0);
}

function isOpen(p: ProductState): boolean {
  if (!p.closed) return true;
  return !!p.opened && Date.parse(p.opened.at) > Date.parse(p.closed.at);
}

/** Was the product held on `day`? Opened (or first seen) on or before it and not closed before it. */
function heldOn(p: ProductState, day: string, rules: ProfileRules): boolean {
  const since = p.opened ? dayOf(p.opened.openedAt, rules) : p.history[0]?.day;
  if (!since || since > day) return false;
  if (p.closed && !isOpen(p) && dayOf(p.closed.closedAt, rules) <= day) return false;
  return true;
}

/** Balance (CNY) carried into `day`: the latest snapshot on or before it. */
function balanceOn(p: ProductState, day: string): number {
  let value = 0;
  for (const h of p.history) {
    if (h.day > day) break;
    value = h.cnyMinor;
  }
  return value;
}

function aumOn(state: ProfileState, day: string, rules: ProfileRules): number {
  return state.products.filter((p) => ASSET_PRODUCTS.has(p.productType) && heldOn(p, day, rules)).reduce((s, p) => s + balanceOn(p, day), 0);
}

function sumDays(days: DayBucket[], from: string, to: string, pick: (d: DayBucket) => number): number {
  return days.reduce((s, d) => (d.day >= from && d.day <= to ? s + pick(d) : s), 0);
}

function sumTallies<K extends string>(days: DayBucket[], from: string, to: string, pick: (d: DayBucket) => Partial<Record<K, Tally>>): Partial<Record<K, Tally>> {
  const out: Partial<Record<K, Tally>> = {};
  for (const d of days) {
    if (d.day < from || d.day > to) continue;
    for (const [k, t] of Object.entries(pick(d)) as Array<[K, Tally]>) {
      const cur = out[k] ?? { n: 0, cnyMinor: 0 };
      out[k] = { n: cur.n + t.n, cnyMinor: cur.cnyMinor + t.cnyMinor };
    }
  }
  return sortedByKey(out);
}

/** Completed years from a birth date to a day. */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = day.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export function ageBand(age: number): string {
  if (age < 18) return '<18';
  if (age <= 25) return '18-25';
  if (age <= 35) return '26-35';
  if (age <= 45) return '36-45';
  if (age <= 55) return '46-55';
  if (age <= 65) return '56-65';
  return '66+';
}

/** The customer's birth date: stated, or read from the resident ID (GB 11643 digits 7–14). */
export function birthDateOf(state: ProfileState): string | undefined {
  const id = state.identity;
  if (!id) return undefined;
  if (id.birthDate) return id.birthDate;
  if (id.idType === 'RESIDENT_ID' && /^\d{17}[\dX]$/.test(id.idNumber)) return `${id.idNumber.slice(6, 10)}-${id.idNumber.slice(10, 12)}-${id.idNumber.slice(12, 14)}`;
  return undefined;
}

/**
 * The figures of DOMAIN.md the profile owns, as of its newest event: AUM and liabilities,
 * products, rolling 30/90-day transaction aggregates from the daily buckets (FEE and
 * INTEREST are not activity), AUM peak and change, logins, complaints, satisfaction, age
 * band and the tags that need nothing but the profile.
 */
export function profileFigures(state: ProfileState, rules: ProfileRules): ProfileFigures {
  const today = state.asOf ? dayOf(state.asOf, rules) : undefined;
  const open = state.products.filter(isOpen);
  const balancesByType = balancesOf(open);
  const figures: ProfileFigures = {
    aumMinor: sumOfTypes(balancesByType, ASSET_PRODUCTS),
    liabilitiesMinor: sumOfTypes(balancesByType, LIABILITY_PRODUCTS),
    balancesByType,
    productsHeld: [...new Set(open.map((p) => p.productType))].sort(),
    productsClosed90d: 0,
    aumPeak90dMinor: 0,
    aumChange30dMinor: 0,
    txnCount30d: 0,
    txnCount90d: 0,
    txnCountPrior60d: 0,
    txnAmount30dMinor: 0,
    txnAmount90dMinor: 0,
    fees90dMinor: 0,
    byCategory30d: {},
    byCategory90d: {},
    byChannel30d: {},
    byChannel90d: {},
    monthlyInflow3mMinor: 0,
    crossBorder90d: 0,
    appLogins30d: 0,
    appLoginsPrior30d: 0,
    complaints90d: 0,
    tags: [],
  };
  const opened = state.products.map((p) => p.opened?.openedAt).filter((x): x is string => !!x).sort((a, b) => Date.parse(a) - Date.parse(b));
  if (opened.length) figures.firstProductAt = opened[0];
  if (state.satisfaction?.csat !== undefined) figures.latestCsat = state.satisfaction.csat;
  if (state.satisfaction?.nps !== undefined) figures.latestNps = state.satisfaction.nps;
  if (!today) return figures;

  const d30 = addDays(today, -29);
  const d60 = addDays(today, -59);
  const d90 = addDays(today, -89);
  const activity = (d: DayBucket) => d.activity.n;
  figures.txnCount30d = sumDays(state.days, d30, today, activity);
  figures.txnCount90d = sumDays(state.days, d90, today, activity);
  figures.txnCountPrior60d = figures.txnCount90d - figures.txnCount30d;
  figures.txnAmount30dMinor = sumDays(state.days, d30, today, (d) => d.activity.cnyMinor);
  figures.txnAmount90dMinor = sumDays(state.days, d90, today, (d) => d.activity.cnyMinor);
  figures.byCategory30d = sumTallies(state.days, d30, today, (d) => d.byCategory);
  figures.byCategory90d = sumTallies(state.days, d90, today, (d) => d.byCategory);
  figures.fees90dMinor = figures.byCategory90d.FEE?.cnyMinor ?? 0;
  figures.byChannel30d = sumTallies(state.days, d30, today, (d) => d.byChannel);
  figures.byChannel90d = sumTallies(state.days, d90, today, (d) => d.byChannel);
  figures.monthlyInflow3mMinor = Math.round(sumDays(state.days, d90, today, (d) => d.inflowCnyMinor) / 3);
  figures.crossBorder90d = sumDays(state.days, d90, today, (d) => d.crossBorder);
  figures.appLogins30d = sumDays(state.days, d30, today, (d) => d.appLogins);
  figures.appLoginsPrior30d = sumDays(state.days, d60, addDays(today, -30), (d) => d.appLogins);
  figures.complaints90d = sumDays(state.days, d90, today, (d) => d.complaints);
  figures.productsClosed90d = state.products.filter((p) => !isOpen(p) && p.closed && dayOf(p.closed.closedAt, rules) >= d90).length;

  let peak = 0;
  for (let day = d90; day <= today; day = addDays(day, 1)) peak = Math.max(peak, aumOn(state, day, rules));
  figures.aumPeak90dMinor = Math.max(peak, figures.aumMinor);
  figures.aumChange30dMinor = figures.aumMinor - aumOn(state, addDays(today, -30), rules);

  const birth = birthDateOf(state);
  if (birth) {
    figures.age = ageOn(birth, today);
    figures.ageBand = ageBand(figures.age);
  }

  // DOMAIN.md tags that need nothing but the profile (HIGH_POTENTIAL needs the tier: segmentation's).
  const tags = new Set<string>();
  // "A PAYROLL credit in each of the last 2 months": this month and the last, or — before
  // this month's payday — the two before it.
  const monthsWithPayroll = new Set(state.days.filter((d) => d.payrollCredits > 0).map((d) => d.day.slice(0, 7)));
  const month = (back: number) => {
    const d = new Date(`${today.slice(0, 7)}-01T00:00:00Z`);
    d.setUTCMonth(d.getUTCMonth() - back);
    return d.toISOString().slice(0, 7);
  };
  const payroll = monthsWithPayroll.has(month(1)) && (monthsWithPayroll.has(month(0)) || monthsWithPayroll.has(month(2)));
  if (payroll) tags.add('PAYROLL');
  if (figures.crossBorder90d >= rules.crossBorderMinTransactions) tags.add('CROSS_BORDER');
  if (figures.productsHeld.includes('MORTGAGE')) tags.add('MORTGAGE_HOLDER');
  if (figures.productsHeld.includes('WEALTH') || figures.productsHeld.includes('FUND')) tags.add('WEALTH_PREFERENCE');
  if (figures.age !== undefined && payroll && figures.age >= rules.youngProfessionalAges[0] && figures.age <= rules.youngProfessionalAges[1]) tags.add('YOUNG_PROFESSIONAL');
  if (figures.age !== undefined && figures.age >= rules.seniorMinAge) tags.add('SENIOR');
  if (figures.appLogins30d >= rules.digitalActiveMinLogins) tags.add('DIGITAL_ACTIVE');
  if (sumDays(state.days, d90, today, (d) => d.education) > 0) tags.add('PARENT');
  figures.tags = [...tags].sort();
  return figures;
}
