import { EnvelopeInit, TOPICS } from '@meridian/events';
import { residentId, sampleEnvelope } from '@meridian/events/testing';

let n = 0;

/** A distinct, valid person: resident ID, phone, name. */
export function person(i = ++n) {
  const seq = String(i % 1000).padStart(3, '0');
  const day = String((i % 28) + 1).padStart(2, '0');
  return {
    idNumber: residentId(`1985${String((Math.floor(i / 28) % 12) + 1).padStart(2, '0')}${day}`, String(110000 + (Math.floor(i / 1000) % 900)), seq),
    phone: `139${String(10_000_000 + i).slice(-8)}`,
    name: `客户${i}`,
  };
}

export function customerEvent(source: string, ref: string, who: { idNumber: string; phone?: string; name?: string }, extra: Record<string, unknown> = {}): EnvelopeInit {
  const e = sampleEnvelope(TOPICS.coreCustomers, 'CustomerUpserted');
  const p = e.payload as Record<string, unknown>;
  Object.assign(p, { sourceSystem: source, sourceCustomerId: ref, idNumber: who.idNumber, name: who.name ?? '客户' });
  if (who.phone) p.phone = who.phone;
  else delete p.phone;
  delete p.birthDate;
  Object.assign(p, extra);
  return e;
}

export function transactionEvent(source: string, ref: string, payload: Record<string, unknown> = {}): EnvelopeInit {
  const e = sampleEnvelope(TOPICS.coreTransactions, 'TransactionPosted');
  Object.assign(e.payload as object, { sourceSystem: source, sourceCustomerId: ref, transactionId: `T-${++n}`, ...payload });
  return e;
}

export function inboundOf(type: string, source: string, ref: string): EnvelopeInit {
  const topic = ({ ProductOpened: TOPICS.coreProducts, ProductClosed: TOPICS.coreProducts, BalanceSnapshot: TOPICS.coreProducts, InteractionRecorded: TOPICS.coreInteractions } as Record<string, string>)[type];
  if (!topic) throw new Error(type);
  const e = sampleEnvelope(topic, type);
  Object.assign(e.payload as object, { sourceSystem: source, sourceCustomerId: ref });
  return e;
}

/** Every inbound (core topic, event type) pair ingest takes in. */
export const INBOUND_TYPES: ReadonlyArray<readonly [string, string]> = [
  [TOPICS.coreCustomers, 'CustomerUpserted'],
  [TOPICS.coreProducts, 'ProductOpened'],
  [TOPICS.coreProducts, 'ProductClosed'],
  [TOPICS.coreProducts, 'BalanceSnapshot'],
  [TOPICS.coreTransactions, 'TransactionPosted'],
  [TOPICS.coreInteractions, 'InteractionRecorded'],
];
