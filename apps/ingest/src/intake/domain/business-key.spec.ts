import { EventEnvelope, TOPICS, validateEnvelope } from '@meridian/events';
import { sampleEnvelope } from '@meridian/events/testing';
import { businessKeyOf, contentFingerprint } from './business-key';
import { parseFxTable } from './money';

const fx = parseFxTable('USD=7.10');
function inbound(topic: string, type: string, payload: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}): EventEnvelope {
  const e = { ...sampleEnvelope(topic, type), ...envelope };
  Object.assign(e.payload as object, payload);
  const r = validateEnvelope(topic, e);
  if (!r.ok) throw new Error(r.message);
  return r.envelope;
}
const txn = (payload: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}) => inbound(TOPICS.coreTransactions, 'TransactionPosted', payload, envelope);
const interaction = (payload: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}) => inbound(TOPICS.coreInteractions, 'InteractionRecorded', payload, envelope);

describe('business keys (issue 9, point 6)', () => {
  it.each([
    ['a transaction', txn({ sourceSystem: 'core', transactionId: 'T-9' }), { id: 'TransactionPosted ["core","T-9"]', field: 'transactionId' }],
    ['an interaction', interaction({ sourceSystem: 'cc', interactionId: 'I-9' }), { id: 'InteractionRecorded ["cc","I-9"]', field: 'interactionId' }],
    ['values that would run together unquoted', txn({ sourceSystem: 'a ["b"', transactionId: 'c' }), { id: 'TransactionPosted ["a [\\"b\\"","c"]', field: 'transactionId' }],
  ])('%s is keyed by sourceSystem and its own id', (_what, envelope, key) => {
    expect(businessKeyOf(envelope, fx)).toMatchObject(key);
  });

  it.each([
    ['CustomerUpserted', inbound(TOPICS.coreCustomers, 'CustomerUpserted')],
    ['ProductOpened', inbound(TOPICS.coreProducts, 'ProductOpened')],
    ['BalanceSnapshot', inbound(TOPICS.coreProducts, 'BalanceSnapshot')],
  ])('%s has none (its eventId is its only key)', (_type, envelope) => {
    expect(businessKeyOf(envelope, fx)).toBeUndefined();
  });

  it('never looks like an eventId (printable ASCII without spaces)', () => {
    expect(businessKeyOf(txn(), fx)!.id).toMatch(/ /);
  });
});

describe('content fingerprints: what "the same transaction" means', () => {
  const base = txn({ amount: '100.50', bookedAt: '2026-03-01T09:30:00+08:00', currency: 'USD', balanceAfter: '10.00' });
  const print = contentFingerprint(base, fx);

  it.each([
    ['another eventId', txn({ amount: '100.50', bookedAt: '2026-03-01T09:30:00+08:00', currency: 'USD', balanceAfter: '10.00' })],
    ['another envelope time, source and correlation', txn({ amount: '100.50', bookedAt: '2026-03-01T09:30:00+08:00', currency: 'USD', balanceAfter: '10.00' }, { occurredAt: '2026-04-01T00:00:00Z', source: 're-export', correlationId: 'batch-2' })],
    ['the amount written with fewer decimals', txn({ amount: '100.5', bookedAt: '2026-03-01T09:30:00+08:00', currency: 'USD', balanceAfter: '10' })],
    ['bookedAt at another offset, the same instant', txn({ amount: '100.50', bookedAt: '2026-03-01T01:30:00Z', currency: 'USD', balanceAfter: '10.00' })],
    ['another FX table (the CNY value is derived here)', txn({ amount: '100.50', bookedAt: '2026-03-01T09:30:00+08:00', currency: 'USD', balanceAfter: '10.00' }), parseFxTable('USD=7.25')],
  ])('is the same with %s', (_what, other, table = fx) => {
    expect(contentFingerprint(other, table)).toBe(print);
  });

  it.each([
    ['another amount', { amount: '100.51' }],
    ['another currency', { currency: 'CNY' }],
    ['another direction', { direction: 'DEBIT' }],
    ['another category', { category: 'TRANSFER' }],
    ['another booking time', { bookedAt: '2026-03-01T09:31:00+08:00' }],
    ['another balance after', { balanceAfter: '11.00' }],
    ['another customer reference', { sourceCustomerId: 'CB-999' }],
    ['a field dropped', { merchantName: undefined }],
  ])('differs with %s', (_what, change) => {
    const payload = { amount: '100.50', bookedAt: '2026-03-01T09:30:00+08:00', currency: 'USD', balanceAfter: '10.00', ...change };
    const other = txn(payload);
    if ('merchantName' in change) delete (other.payload as Record<string, unknown>).merchantName;
    expect(contentFingerprint(other, fx)).not.toBe(print);
  });

  it('an absent optional field and a null one are the same; the type is part of the content', () => {
    const withNull = interaction({ topic: null });
    const without = interaction();
    delete (without.payload as Record<string, unknown>).topic;
    expect(contentFingerprint(withNull, fx)).toBe(contentFingerprint(without, fx));
    expect(contentFingerprint(interaction({ csat: 1 }), fx)).not.toBe(contentFingerprint(interaction({ csat: 2 }), fx));
  });
});
