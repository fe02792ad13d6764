import {
  BalanceSnapshot,
  CanonicalBalanceSnapshot,
  CanonicalTransactionPosted,
  CustomerUpserted,
  EnvelopeInit,
  EventEnvelope,
  FieldError,
  TOPICS,
  TransactionPosted,
  residentIdBirthDate,
} from '@meridian/events';
import { FxTable, MoneyProblem, toCnyMinor, toMinorUnits } from './money';

/** Inbound (core.*) topic of each event type: the HTTP path names only the type. */
export const INBOUND_TOPIC_OF: Readonly<Record<string, string>> = {
  CustomerUpserted: TOPICS.coreCustomers,
  ProductOpened: TOPICS.coreProducts,
  ProductClosed: TOPICS.coreProducts,
  BalanceSnapshot: TOPICS.coreProducts,
  TransactionPosted: TOPICS.coreTransactions,
  InteractionRecorded: TOPICS.coreInteractions,
};

/** Canonical (crm.*) topic of each inbound topic (CONTRACTS.md §3). */
export const CANONICAL_TOPIC_OF: Readonly<Record<string, string>> = {
  [TOPICS.coreCustomers]: TOPICS.customer,
  [TOPICS.coreProducts]: TOPICS.product,
  [TOPICS.coreTransactions]: TOPICS.transaction,
  [TOPICS.coreInteractions]: TOPICS.interaction,
};

/** DOMAIN.md data quality: "ages above 120" are a rule failure, not a customer. */
export const MAX_AGE_YEARS = 120;

export const INTAKE_RULES = {
  amountForCurrency: 'isAmountForCurrency',
  safeAmount: 'isSafeAmount',
  fxRate: 'hasFxRate',
  plausibleAge: 'isPlausibleAge',
  pastBirthDate: 'isPastBirthDate',
  /** A TransactionPosted / InteractionRecorded repeating its business key with other content (business-key.ts). */
  consistentRepost: 'isConsistentRepost',
} as const;

const MONEY_RULE: Record<MoneyProblem, [string, string]> = {
  tooManyDecimals: [INTAKE_RULES.amountForCurrency, 'has more decimals than its currency has minor units'],
  tooLarge: [INTAKE_RULES.safeAmount, 'is too large to hold exactly'],
};

function moneyError(field: string, problem: MoneyProblem): FieldError {
  const [rule, text] = MONEY_RULE[problem];
  return { field: `payload.${field}`, rule, message: `payload.${field} ${text}` };
}

/**
 * Rules beyond the contract's field rules, that need two fields or the event's time: money
 * fits its currency, a rate exists to value it in CNY, the customer is not older than 120
 * at `occurredAt`.
 */
export function businessRuleErrors(envelope: EventEnvelope, fx: FxTable): FieldError[] {
  const errors: FieldError[] = [];
  const p = envelope.payload as Record<string, unknown>;
  if (envelope.type === 'TransactionPosted' || envelope.type === 'BalanceSnapshot') {
    const currency = String(p.currency);
    for (const field of ['amount', 'balance', 'balanceAfter']) {
      if (typeof p[field] !== 'string') continue;
      const result = toMinorUnits(p[field] as string, currency);
      if ('problem' in result) errors.push(moneyError(field, result.problem));
      // Its CNY value (amountCnyMinor, balanceCnyMinor) must be held exactly too.
      else if (field !== 'balanceAfter' && !Number.isSafeInteger(toCnyMinor(result.minor, currency, fx) ?? 0)) errors.push(moneyError(field, 'tooLarge'));
    }
    if (currency !== 'CNY' && !fx.has(currency)) {
      errors.push({ field: 'payload.currency', rule: INTAKE_RULES.fxRate, message: `payload.currency ${currency} has no FX rate to CNY (INGEST_FX_RATES)` });
    }
  }
  if (envelope.type === 'CustomerUpserted') {
    const c = envelope.payload as CustomerUpserted;
    const birth = c.birthDate ?? (c.idType === 'RESIDENT_ID' ? residentIdBirthDate(c.idNumber) : undefined);
    if (c.birthDate && c.birthDate > envelope.occurredAt.slice(0, 10)) {
      errors.push({ field: 'payload.birthDate', rule: INTAKE_RULES.pastBirthDate, message: 'payload.birthDate is after the event happened' });
    } else if (birth) {
      const limit = new Date(envelope.occurredAt);
      limit.setUTCFullYear(limit.getUTCFullYear() - MAX_AGE_YEARS);
      if (birth < limit.toISOString().slice(0, 10)) {
        const field = c.birthDate ? 'payload.birthDate' : 'payload.idNumber';
        errors.push({ field, rule: INTAKE_RULES.plausibleAge, message: `${field} gives an age above ${MAX_AGE_YEARS} years` });
      }
    }
  }
  return errors;
}

function minor(amount: string, currency: string): number {
  const result = toMinorUnits(amount, currency);
  if ('problem' in result) throw new Error(`unchecked amount ${amount} ${currency}`);
  return result.minor;
}

/**
 * The crm.* payload of a validated inbound event (CONTRACTS.md §3): money in integer minor
 * units (plus CNY where the currency is another); other types as they came.
 */
export function canonicalPayload(envelope: EventEnvelope, fx: FxTable): object {
  if (envelope.type === 'TransactionPosted') {
    const { amount, balanceAfter, ...facts } = envelope.payload as TransactionPosted;
    // An optional field sent as null is absent (class-validator's IsOptional lets null through).
    const amountMinor = minor(amount, facts.currency);
    const t: CanonicalTransactionPosted = {
      ...facts,
      amountMinor,
      ...(facts.currency !== 'CNY' ? { amountCnyMinor: toCnyMinor(amountMinor, facts.currency, fx) } : {}),
      ...(balanceAfter != null ? { balanceAfterMinor: minor(balanceAfter, facts.currency) } : {}),
    };
    return t;
  }
  if (envelope.type === 'BalanceSnapshot') {
    const { balance, ...facts } = envelope.payload as BalanceSnapshot;
    const balanceMinor = minor(balance, facts.currency);
    const b: CanonicalBalanceSnapshot = {
      ...facts,
      balanceMinor,
      ...(facts.currency !== 'CNY' ? { balanceCnyMinor: toCnyMinor(balanceMinor, facts.currency, fx) } : {}),
    };
    return b;
  }
  return { ...(envelope.payload as object) };
}

/**
 * The crm.* form of a validated inbound event (CONTRACTS.md §3): keyed and stamped with
 * the resolved customer, its canonical payload, the same eventId, so a downstream consumer
 * sees a retry as the same event. Only CustomerUpserted carries PII, and only to
 * crm.customer.v1.
 */
export function canonicalEvent(
  inboundTopic: string,
  envelope: EventEnvelope,
  customerId: string,
  fx: FxTable,
): { topic: string; envelope: EnvelopeInit } {
  const topic = CANONICAL_TOPIC_OF[inboundTopic];
  if (!topic) throw new Error(`no canonical topic for ${inboundTopic}`);
  return {
    topic,
    envelope: {
      eventId: envelope.eventId,
      type: envelope.type,
      schemaVersion: envelope.schemaVersion,
      occurredAt: envelope.occurredAt,
      source: envelope.source,
      customerId,
      correlationId: envelope.correlationId ?? envelope.eventId,
      ...(envelope.causationId ? { causationId: envelope.causationId } : {}),
      payload: canonicalPayload(envelope, fx),
    },
  };
}
