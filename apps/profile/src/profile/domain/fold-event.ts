import {
  CanonicalBalanceSnapshot,
  CanonicalTransactionPosted,
  CustomerUpserted,
  InteractionKind,
  InteractionRecorded,
  NON_CUSTOMER_INITIATED_CATEGORIES,
  ProductClosed,
  ProductOpened,
  SatisfactionRecorded,
} from '@meridian/events';
import { factKeyOf, hasFactKey, withFactKey } from './fact-key';
import { DayBucket, ProductState, ProfileState, Stamp, isLater, maxTime } from './profile-state';
import { ProfileRules, addDays, dayOf } from './profile-rules';

/** A canonical event as the profile folds it. */
export interface ProfileEvent<P = unknown> {
  eventId: string;
  type: string;
  occurredAt: string;
  payload: P;
}

/** The types the profile folds; others leave it as it is. */
export const FOLDED_TYPES = new Set([
  'CustomerUpserted',
  'ProductOpened',
  'ProductClosed',
  'BalanceSnapshot',
  'TransactionPosted',
  'InteractionRecorded',
  'SatisfactionRecorded',
]);

/** Interactions the customer did (not the bank to them): they are activity. */
const CUSTOMER_INITIATED: ReadonlySet<InteractionKind> = new Set([
  'LOGIN',
  'PAGE_VIEW',
  'INQUIRY',
  'COMPLAINT',
  'CARD_LOSS',
  'DISPUTE',
  'SERVICE_REQUEST',
  'CAMPAIGN_OPENED',
  'CAMPAIGN_CLICKED',
  'CAMPAIGN_OPTED_OUT',
  'SURVEY_RESPONSE',
]);

function emptyDay(day: string): DayBucket {
  return { day, activity: { n: 0, cnyMinor: 0 }, byCategory: {}, byChannel: {}, inflowCnyMinor: 0, payrollCredits: 0, crossBorder: 0, education: 0, appLogins: 0, complaints: 0 };
}

function bucket(state: ProfileState, day: string): DayBucket {
  let lo = 0;
  let hi = state.days.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (state.days[mid].day < day) lo = mid + 1;
    else hi = mid;
  }
  if (state.days[lo]?.day !== day) state.days.splice(lo, 0, emptyDay(day));
  return state.days[lo];
}

function product(state: ProfileState, ref: { productId: string; productType: ProductState['productType']; productCode: string }): ProductState {
  let p = state.products.find((x) => x.productId === ref.productId);
  if (!p) {
    p = { productId: ref.productId, productType: ref.productType, productCode: ref.productCode, history: [] };
    state.products.push(p);
    state.products.sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
  }
  return p;
}

function addSorted(list: string[], value: string): void {
  if (list.includes(value)) return;
  list.push(value);
  list.sort();
}

/**
 * Folds one event into the profile, in place. Commutative by construction (see
 * ProfileState): the result does not depend on the order events arrive in. The caller
 * guarantees each event is folded once; a transaction or interaction is also counted once
 * by its business key — a copy under another eventId (a re-export, a replayed batch) leaves
 * the profile as it is, wherever in the retention window the first copy was counted.
 */
export function foldEvent(state: ProfileState, event: ProfileEvent, rules: ProfileRules): void {
  if (!FOLDED_TYPES.has(event.type)) return;
  const factKey = factKeyOf(event.type, event.payload);
  if (factKey && state.days.some((d) => hasFactKey(d.facts, factKey))) return;
  const stamp: Stamp = { at: event.occurredAt, eventId: event.eventId };
  const p = event.payload as { sourceSystem?: string; sourceCustomerId?: string };
  if (p.sourceSystem && p.sourceCustomerId) addSorted(state.sources, `${p.sourceSystem}:${p.sourceCustomerId}`);

  switch (event.type) {
    case 'CustomerUpserted': {
      const c = event.payload as CustomerUpserted;
      if (!isLater(stamp, state.identity)) break;
      state.identity = {
        ...stamp,
        idType: c.idType,
        idNumber: c.idNumber,
        name: c.name,
        customerType: c.customerType,
        branchId: c.branchId,
        ...(c.phone !== undefined && { phone: c.phone }),
        ...(c.email !== undefined && { email: c.email }),
        ...(c.birthDate !== undefined && { birthDate: c.birthDate }),
        ...(c.gender !== undefined && { gender: c.gender }),
        ...(c.rmId !== undefined && { rmId: c.rmId }),
        ...(c.riskTolerance !== undefined && { riskTolerance: c.riskTolerance }),
        ...(c.consents !== undefined && { consents: JSON.parse(JSON.stringify(c.consents)) }),
      };
      break;
    }
    case 'ProductOpened': {
      const e = event.payload as ProductOpened;
      const prod = product(state, e);
      if (isLater(stamp, prod.opened)) prod.opened = { ...stamp, openedAt: e.openedAt };
      break;
    }
    case 'ProductClosed': {
      const e = event.payload as ProductClosed;
      const prod = product(state, e);
      if (isLater(stamp, prod.closed)) prod.closed = { ...stamp, closedAt: e.closedAt };
      break;
    }
    case 'BalanceSnapshot': {
      const e = event.payload as CanonicalBalanceSnapshot;
      const prod = product(state, e);
      const cnyMinor = e.currency === 'CNY' ? e.balanceMinor : (e.balanceCnyMinor ?? 0);
      // A late, older snapshot never overwrites a newer one.
      if (isLater(stamp, prod.balance)) prod.balance = { ...stamp, minor: e.balanceMinor, cnyMinor, currency: e.currency };
      const day = dayOf(event.occurredAt, rules);
      const i = prod.history.findIndex((h) => h.day === day);
      if (i < 0) {
        prod.history.push({ day, cnyMinor, ...stamp });
        prod.history.sort((a, b) => (a.day < b.day ? -1 : 1));
      } else if (isLater(stamp, prod.history[i])) prod.history[i] = { day, cnyMinor, ...stamp };
      break;
    }
    case 'TransactionPosted': {
      const t = event.payload as CanonicalTransactionPosted;
      const when = t.bookedAt ?? event.occurredAt;
      const cny = t.currency === 'CNY' ? t.amountMinor : (t.amountCnyMinor ?? 0);
      const b = bucket(state, dayOf(when, rules));
      if (factKey) b.facts = withFactKey(b.facts, factKey);
      const add = (tally: { n: number; cnyMinor: number } | undefined) => ({ n: (tally?.n ?? 0) + 1, cnyMinor: (tally?.cnyMinor ?? 0) + cny });
      b.byCategory[t.category] = add(b.byCategory[t.category]);
      b.byChannel[t.channel] = add(b.byChannel[t.channel]);
      if (t.direction === 'CREDIT' && t.category !== 'INTEREST') b.inflowCnyMinor += cny;
      if (t.direction === 'CREDIT' && t.category === 'PAYROLL') b.payrollCredits++;
      if (t.counterpartyCountry && t.counterpartyCountry !== 'CN') b.crossBorder++;
      const mcc = t.mcc;
      if (t.direction === 'DEBIT' && mcc && rules.educationMccPrefixes.some((prefix) => mcc.startsWith(prefix))) b.education++;
      if (!NON_CUSTOMER_INITIATED_CATEGORIES.includes(t.category)) {
        b.activity = add(b.activity);
        state.lastTransactionAt = maxTime(state.lastTransactionAt, when);
        state.lastActivityAt = maxTime(state.lastActivityAt, when);
      }
      break;
    }
    case 'InteractionRecorded': {
      const i = event.payload as InteractionRecorded;
      const b = bucket(state, dayOf(event.occurredAt, rules));
      if (factKey) b.facts = withFactKey(b.facts, factKey);
      if (i.kind === 'LOGIN' && i.channel === 'APP') b.appLogins++;
      if (i.kind === 'COMPLAINT') b.complaints++;
      if (CUSTOMER_INITIATED.has(i.kind)) state.lastActivityAt = maxTime(state.lastActivityAt, event.occurredAt);
      // Ties broken by the business key, not the eventId: whichever copy of it comes first stamps alike.
      const rated: Stamp = factKey ? { at: event.occurredAt, eventId: factKey } : stamp;
      if ((i.csat !== undefined || i.nps !== undefined) && isLater(rated, state.satisfaction)) {
        state.satisfaction = { ...rated, ...(i.csat !== undefined && { csat: i.csat }), ...(i.nps !== undefined && { nps: i.nps }) };
      }
      break;
    }
    case 'SatisfactionRecorded': {
      const s = event.payload as SatisfactionRecorded;
      if (isLater(stamp, state.satisfaction)) {
        state.satisfaction = { ...stamp, ...(s.csat !== undefined && { csat: s.csat }), ...(s.nps !== undefined && { nps: s.nps }) };
      }
      break;
    }
  }
  state.version++;
  state.asOf = maxTime(state.asOf, event.occurredAt);
  prune(state, rules);
}

/** Drops daily buckets and balance history older than the retention window before asOf. */
export function prune(state: ProfileState, rules: ProfileRules): void {
  if (!state.asOf) return;
  const oldest = addDays(dayOf(state.asOf, rules), -rules.retentionDays);
  if (state.days.length && state.days[0].day < oldest) state.days = state.days.filter((d) => d.day >= oldest);
  for (const p of state.products) {
    // Keep the newest snapshot before the window: it is the balance carried into it.
    const before = p.history.filter((h) => h.day < oldest);
    if (before.length > 1) p.history = [before[before.length - 1], ...p.history.filter((h) => h.day >= oldest)];
  }
}
