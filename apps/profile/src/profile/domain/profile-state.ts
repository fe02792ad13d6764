import type { Consents, ProductType, TransactionCategory, TransactionChannel } from '@meridian/events';

/**
 * The 360° profile of one customer as a pure value (no I/O, no clock). Every part is a
 * fold of the customer's events that does not depend on the order they arrive in: "latest"
 * means latest by the event's own time (then eventId), counts and sums live in daily
 * buckets, and windows are measured back from `asOf`, the newest event time folded. So
 * replaying the topics — in any order, in any batches — rebuilds the same profile.
 */
export interface ProfileState {
  customerId: string;
  /** Events folded into this profile (its own and those of customers merged into it), and day rolls that changed it. */
  version: number;
  /** The newest event time folded, or the day roll's instant when later (roll-profile.ts): "now" for every window (ARCHITECTURE.md principle 6). */
  asOf?: string;
  /** The latest day roll applied (roll-profile.ts); a rebuild from the event log applies it again. */
  rolledTo?: string;
  identity?: IdentityState;
  /** Source references (`system:customerRef`) seen for this customer, sorted. */
  sources: string[];
  /** Sorted by productId. */
  products: ProductState[];
  /** Sorted by day; only the days of the retention window before asOf. */
  days: DayBucket[];
  /** Latest CSAT/NPS; `eventId` breaks ties — for an interaction its fact key, the same for every copy of it. */
  satisfaction?: { csat?: number; nps?: number; at: string; eventId: string };
  /** Newest customer-initiated transaction (not FEE or INTEREST). */
  lastTransactionAt?: string;
  /** Newest thing the customer did: a customer-initiated transaction or interaction. */
  lastActivityAt?: string;
  /** Customers merged into this one (IdentityMerged), sorted. */
  mergedFrom: string[];
}

/** Stamp of the event a "latest" value came from: time first, eventId to break ties. */
export interface Stamp {
  at: string;
  eventId: string;
}

export interface IdentityState extends Stamp {
  idType: string;
  idNumber: string;
  phone?: string;
  name: string;
  email?: string;
  birthDate?: string;
  gender?: string;
  customerType: string;
  branchId: string;
  rmId?: string;
  riskTolerance?: string;
  consents?: Consents;
}

export interface ProductState {
  productId: string;
  productType: ProductType;
  productCode: string;
  opened?: Stamp & { openedAt: string };
  closed?: Stamp & { closedAt: string };
  /** Latest BalanceSnapshot (for loans and cards the outstanding amount). */
  balance?: Stamp & { minor: number; cnyMinor: number; currency: string };
  /** The latest snapshot of each day, in CNY: AUM history for peaks and changes. */
  history: Array<{ day: string; cnyMinor: number } & Stamp>;
}

export interface Tally {
  n: number;
  cnyMinor: number;
}

export interface DayBucket {
  day: string;
  /** Customer-initiated transactions (the activity measure; FEE and INTEREST excluded). */
  activity: Tally;
  /** Every transaction, by category and by channel. */
  byCategory: Partial<Record<TransactionCategory, Tally>>;
  byChannel: Partial<Record<TransactionChannel, Tally>>;
  /** Credits the customer received (not INTEREST), in CNY: inflow. */
  inflowCnyMinor: number;
  payrollCredits: number;
  /** Transactions with a foreign counterparty country. */
  crossBorder: number;
  /** Spending at education merchants (MCC 82xx). */
  education: number;
  appLogins: number;
  complaints: number;
  /**
   * The transactions and interactions counted in this day, by business key (`fact-key.ts`):
   * sorted fixed-width keys in one string, so no fact counts twice under two eventIds. Kept
   * as long as the bucket, i.e. the retention window; absent when none.
   */
  facts?: string;
}

export function emptyProfile(customerId: string): ProfileState {
  return { customerId, version: 0, sources: [], products: [], days: [], mergedFrom: [] };
}

/** a is later than b: by time, then by eventId. */
export function isLater(a: Stamp, b: Stamp | undefined): boolean {
  if (!b) return true;
  const ta = Date.parse(a.at);
  const tb = Date.parse(b.at);
  return ta !== tb ? ta > tb : a.eventId > b.eventId;
}

export function maxTime(a: string | undefined, b: string): string {
  return a === undefined || Date.parse(b) > Date.parse(a) || (Date.parse(b) === Date.parse(a) && b > a) ? b : a;
}

/**
 * The profile with every object's keys in sorted order: the form it is stored and compared
 * in, so the same folds give the same bytes whatever order their fields were first set in.
 */
export function canonical<T>(value: T): T {
  if (Array.isArray(value)) return value.map(canonical) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = canonical(v);
  }
  return out as T;
}
