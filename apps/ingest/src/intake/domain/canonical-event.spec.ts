import fc from 'fast-check';
import { TOPICS, validateEnvelope } from '@meridian/events';
import { residentId, sampleEnvelope } from '@meridian/events/testing';
import { businessRuleErrors, canonicalEvent } from './canonical-event';
import { validateInbound } from './inbound-validation';
import { parseFxTable } from './money';
import { INBOUND_TYPES as INBOUND } from '../../testing/ingest-fixtures';

const fx = parseFxTable('USD=7.10');
function decoded(topic: string, type: string, payload: Record<string, unknown> = {}, occurredAt?: string) {
  const e = sampleEnvelope(topic, type);
  Object.assign(e.payload as object, payload);
  if (occurredAt) e.occurredAt = occurredAt;
  const r = validateEnvelope(topic, e);
  if (!r.ok) throw new Error(r.message);
  return r.envelope;
}

describe('canonical events (CONTRACTS.md §3)', () => {
  it('turns a transaction into minor units, keeps the eventId and stamps the customer', () => {
    const inbound = decoded(TOPICS.coreTransactions, 'TransactionPosted', { amount: '15000.5', balanceAfter: '0' });
    const { topic, envelope } = canonicalEvent(TOPICS.coreTransactions, inbound, 'C1', fx);
    expect(topic).toBe(TOPICS.transaction);
    expect(envelope).toMatchObject({ eventId: inbound.eventId, customerId: 'C1', type: 'TransactionPosted' });
    expect(envelope.payload).toMatchObject({ amountMinor: 1_500_050, balanceAfterMinor: 0, currency: 'CNY' });
    expect(envelope.payload).not.toHaveProperty('amount');
    expect(envelope.payload).not.toHaveProperty('amountCnyMinor');
    expect(validateEnvelope(topic, JSON.parse(JSON.stringify(envelope))).ok).toBe(true);
  });

  it('values foreign currency in CNY as well', () => {
    expect(canonicalEvent(TOPICS.coreProducts, decoded(TOPICS.coreProducts, 'BalanceSnapshot', { balance: '0' }), 'C9', fx).envelope.payload).toMatchObject({ balanceMinor: 0 });
    const inbound = decoded(TOPICS.coreProducts, 'BalanceSnapshot', { balance: '1000.00', currency: 'USD' });
    const { topic, envelope } = canonicalEvent(TOPICS.coreProducts, inbound, 'C1', fx);
    expect(envelope.payload).toMatchObject({ balanceMinor: 100_000, currency: 'USD', balanceCnyMinor: 710_000 });
    expect(validateEnvelope(topic, JSON.parse(JSON.stringify(envelope))).ok).toBe(true);
  });

  it('passes customers, products and interactions on unchanged but for the customer id', () => {
    for (const [inboundTopic, type] of [
      [TOPICS.coreCustomers, 'CustomerUpserted'],
      [TOPICS.coreProducts, 'ProductOpened'],
      [TOPICS.coreInteractions, 'InteractionRecorded'],
    ]) {
      const inbound = decoded(inboundTopic, type);
      const { topic, envelope } = canonicalEvent(inboundTopic, inbound, 'C9', fx);
      expect(JSON.parse(JSON.stringify(envelope.payload))).toEqual(JSON.parse(JSON.stringify(inbound.payload)));
      expect(validateEnvelope(topic, JSON.parse(JSON.stringify(envelope))).ok).toBe(true);
    }
  });
});

describe('canonical events are valid by construction (the publisher trusts them)', () => {
  const wideFx = parseFxTable('USD=7.1,EUR=7.8,JPY=0.048,HKD=0.91,KWD=23.1');
  const money = fc.oneof(
    fc.stringMatching(/^(0|[1-9]\d{0,12})(\.\d{1,3})?$/),
    fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }).map(String),
    fc.constantFrom('0.01', '0.001', '999999999999999.99', '1e3', '-5.00', ''),
  );
  const anyValue = fc.oneof(money, fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('CNY', 'USD', 'JPY', 'KWD', 'GBP'), fc.object());

  it('every input ingest accepts becomes an event that validates on its crm topic (property)', () => {
    let checked = 0;
    fc.assert(
      fc.property(fc.constantFrom(...INBOUND), fc.array(fc.tuple(fc.nat(), anyValue), { maxLength: 3 }), fc.string({ minLength: 1, maxLength: 40 }), ([inboundTopic, type], edits, customerId) => {
        const inbound = sampleEnvelope(inboundTopic, type);
        const payload = inbound.payload as Record<string, unknown>;
        for (const [pick, value] of edits) {
          const keys = Object.keys(payload);
          payload[keys[pick % keys.length]] = value;
        }
        const { decoded } = validateInbound(JSON.parse(JSON.stringify(inbound)));
        if (!decoded.ok || businessRuleErrors(decoded.envelope, wideFx).length) return;
        const { topic, envelope } = canonicalEvent(inboundTopic, decoded.envelope, customerId, wideFx);
        const verdict = validateEnvelope(topic, JSON.parse(JSON.stringify(envelope)));
        expect(verdict.ok ? 'valid' : verdict.message).toBe('valid');
        checked++;
      }),
      { numRuns: 3_000 },
    );
    // Not vacuous: a good share of the edited inputs pass intake and are checked.
    expect(checked).toBeGreaterThan(600);
  });

  it('money of any size and currency: accepted means its minor units and CNY value are exact (property)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(['TransactionPosted', 'amount'], ['BalanceSnapshot', 'balance']),
        money,
        fc.constantFrom('CNY', 'USD', 'JPY', 'KWD', 'EUR'),
        ([type, field], amount, currency) => {
          const inboundTopic = type === 'TransactionPosted' ? TOPICS.coreTransactions : TOPICS.coreProducts;
          const inbound = sampleEnvelope(inboundTopic, type);
          Object.assign(inbound.payload as object, { [field]: amount, currency, balanceAfter: undefined });
          const { decoded } = validateInbound(JSON.parse(JSON.stringify(inbound)));
          if (!decoded.ok || businessRuleErrors(decoded.envelope, wideFx).length) return;
          accepted++;
          const { topic, envelope } = canonicalEvent(inboundTopic, decoded.envelope, 'C1', wideFx);
          const verdict = validateEnvelope(topic, JSON.parse(JSON.stringify(envelope)));
          expect(verdict.ok ? 'valid' : verdict.message).toBe('valid');
          for (const v of Object.values(envelope.payload as Record<string, unknown>)) if (typeof v === 'number') expect(Number.isSafeInteger(v)).toBe(true);
        },
      ),
      { numRuns: 3_000 },
    );
    expect(accepted).toBeGreaterThan(300);
  });
});

describe('business rules beyond the field rules', () => {
  it('refuses amounts finer than the currency and currencies without an FX rate', () => {
    expect(businessRuleErrors(decoded(TOPICS.coreTransactions, 'TransactionPosted', { amount: '100.5', currency: 'JPY', balanceAfter: undefined }), parseFxTable('JPY=0.05'))).toEqual([
      { field: 'payload.amount', rule: 'isAmountForCurrency', message: 'payload.amount has more decimals than its currency has minor units' },
    ]);
    expect(businessRuleErrors(decoded(TOPICS.coreProducts, 'BalanceSnapshot', { currency: 'GBP' }), fx)).toEqual([
      { field: 'payload.currency', rule: 'hasFxRate', message: 'payload.currency GBP has no FX rate to CNY (INGEST_FX_RATES)' },
    ]);
  });

  it('refuses ages above 120 at the time of the event, from the birth date or the ID', () => {
    const old = residentId('19000101');
    expect(businessRuleErrors(decoded(TOPICS.coreCustomers, 'CustomerUpserted', { idNumber: old, birthDate: undefined }, '2026-03-01T09:30:00+08:00'), fx)).toEqual([
      { field: 'payload.idNumber', rule: 'isPlausibleAge', message: 'payload.idNumber gives an age above 120 years' },
    ]);
    // 120 exactly is allowed.
    expect(businessRuleErrors(decoded(TOPICS.coreCustomers, 'CustomerUpserted', { idNumber: old, birthDate: undefined }, '2020-01-01T00:00:00Z'), fx)).toEqual([]);
    expect(businessRuleErrors(decoded(TOPICS.coreCustomers, 'CustomerUpserted'), fx)).toEqual([]);
    expect(businessRuleErrors(decoded(TOPICS.coreCustomers, 'CustomerUpserted', { idType: 'PASSPORT', idNumber: 'E12345678', birthDate: '2027-01-01' }), fx)).toEqual([
      { field: 'payload.birthDate', rule: 'isPastBirthDate', message: 'payload.birthDate is after the event happened' },
    ]);
  });
});
