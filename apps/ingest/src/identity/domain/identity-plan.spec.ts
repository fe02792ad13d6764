import fc from 'fast-check';
import { KeyOwner, RecordPlan, planIdentities } from './identity-plan';
import { newId, owners, rec } from '../../testing/identity-plan-fixtures';

describe('planIdentities (DOMAIN.md: identity)', () => {
  it('creates a customer for keys that match nobody, and claims every key', () => {
    const [plan] = planIdentities([rec('e1', { id: 'X', src: 'cb:1', phone: 'P' })], new Map(), newId);
    expect(plan).toEqual({
      customerId: 'NEW-e1',
      created: true,
      writes: [
        { kind: 'claim', key: 'ID_NUMBER:X', customerId: 'NEW-e1' },
        { kind: 'claim', key: 'SOURCE_REF:cb:1', customerId: 'NEW-e1' },
        { kind: 'claim', key: 'PHONE:P', customerId: 'NEW-e1' },
      ],
    });
  });

  it('maps a record whose keys match one customer to it, linking its new keys', () => {
    const [plan] = planIdentities([rec('e1', { id: 'X', src: 'card:9', phone: 'P' })], owners({ 'ID_NUMBER:X': 'A', 'PHONE:P': 'A' }), newId);
    expect(plan).toEqual({ customerId: 'A', created: false, writes: [{ kind: 'claim', key: 'SOURCE_REF:card:9', customerId: 'A' }] });
  });

  it('idNumber outranks phone: the record is the idNumber owner\'s and the phone moves to it', () => {
    const [plan] = planIdentities([rec('e1', { id: 'X', src: 'cb:1', phone: 'P' })], owners({ 'ID_NUMBER:X': 'A', 'SOURCE_REF:cb:1': 'A', 'PHONE:P': 'B' }), newId);
    expect(plan).toEqual({ customerId: 'A', created: false, writes: [{ kind: 'move', key: 'PHONE:P', from: 'B', customerId: 'A' }] });
  });

  it('a new idNumber with a known phone is a new customer, and the phone moves to it', () => {
    const [plan] = planIdentities([rec('e1', { id: 'Y', src: 'cb:2', phone: 'P' })], owners({ 'PHONE:P': 'B' }), newId);
    expect(plan.customerId).toBe('NEW-e1');
    expect(plan.created).toBe(true);
    expect(plan.writes).toContainEqual({ kind: 'move', key: 'PHONE:P', from: 'B', customerId: 'NEW-e1' });
  });

  it('a source reference alone finds its customer; a new idNumber on it is linked, not a new customer', () => {
    const plans = planIdentities([rec('t1', { src: 'cb:1' }), rec('c1', { id: 'Z', src: 'cb:1' })], owners({ 'SOURCE_REF:cb:1': 'A' }), newId);
    expect(plans.map((p) => p.customerId)).toEqual(['A', 'A']);
    expect(plans[1].writes).toEqual([{ kind: 'claim', key: 'ID_NUMBER:Z', customerId: 'A' }]);
  });

  it('merges two existing customers on strong evidence: the idNumber of one, the source reference of the other', () => {
    const known = owners({ 'ID_NUMBER:X': 'A', 'SOURCE_REF:cb:1': 'A', 'SOURCE_REF:card:7': 'B', 'PHONE:Q': 'B' });
    const plans = planIdentities([rec('e1', { id: 'X', src: 'card:7', phone: 'Q' }), rec('e2', { src: 'card:7' })], known, newId);
    expect(plans[0]).toEqual({
      customerId: 'A',
      created: false,
      writes: [],
      merge: { survivorId: 'A', mergedId: 'B', evidence: ['ID_NUMBER:X', 'SOURCE_REF:card:7'] },
    });
    // Later records of the batch already see the merged customer's keys on the survivor.
    expect(plans[1]).toEqual({ customerId: 'A', created: false, writes: [] });
  });

  it('never joins on a phone alone', () => {
    const plans = planIdentities([rec('e1', { src: 'cb:1' })], owners({ 'PHONE:P': 'B' }), newId);
    expect(plans[0].customerId).toBe('NEW-e1');
  });

  it('two first sightings of one person in one batch become one customer', () => {
    const plans = planIdentities([rec('e1', { id: 'X', src: 'cb:1' }), rec('e2', { id: 'X', src: 'card:1' })], new Map(), newId);
    expect(plans.map((p) => p.customerId)).toEqual(['NEW-e1', 'NEW-e1']);
    expect(plans[1].created).toBe(false);
    expect(plans[1].writes).toEqual([{ kind: 'claim', key: 'SOURCE_REF:card:1', customerId: 'NEW-e1' }]);
  });

  it('re-planned after a lost claim, moves its own provisional claims silently', () => {
    // Round 1 claimed the source reference and phone for NEW-e1, but the idNumber was A's.
    const known = new Map([...owners({ 'ID_NUMBER:X': 'A' }), ...owners({ 'SOURCE_REF:cb:1': 'NEW-e1', 'PHONE:P': 'NEW-e1' }, true)]);
    const [plan] = planIdentities([rec('e1', { id: 'X', src: 'cb:1', phone: 'P' })], known, newId);
    expect(plan).toEqual({
      customerId: 'A',
      created: false,
      writes: [
        { kind: 'repoint', key: 'SOURCE_REF:cb:1', from: 'NEW-e1', customerId: 'A' },
        { kind: 'repoint', key: 'PHONE:P', from: 'NEW-e1', customerId: 'A' },
      ],
    });
  });

  it('a record planned again with its own confirmed claims writes nothing more', () => {
    const known = owners({ 'ID_NUMBER:X': 'NEW-e1', 'SOURCE_REF:cb:1': 'NEW-e1' }, true);
    const [plan] = planIdentities([rec('e1', { id: 'X', src: 'cb:1' })], known, newId);
    expect(plan).toEqual({ customerId: 'NEW-e1', created: true, writes: [] });
  });

  /**
   * The resolver's loop against a simulated key store: the cache knows only some keys;
   * claims of keys the store holds fail and teach their owner. Whatever the batch and
   * the store, the loop ends, and afterwards every record's keys belong to its customer,
   * records sharing an idNumber share a customer, and no key is left with a candidate
   * the final plan dropped.
   */
  it('converges to one consistent identity map (property)', () => {
    const person = fc.integer({ min: 0, max: 5 });
    const record = fc.record({
      person,
      source: fc.integer({ min: 0, max: 7 }),
      customer: fc.boolean(),
      phone: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 12 }), fc.array(fc.tuple(person, fc.integer({ min: 0, max: 7 })), { maxLength: 4 }), fc.integer({ min: 0, max: 3 }), (batch, existing, cached) => {
        // The store: some people already known, each with an idNumber and a source reference.
        const store = new Map<string, string>();
        existing.forEach(([p, s], i) => {
          const c = `OLD${i}`;
          if (!store.has(`ID_NUMBER:id${p}`)) store.set(`ID_NUMBER:id${p}`, c);
          if (!store.has(`SOURCE_REF:src${s}`)) store.set(`SOURCE_REF:src${s}`, store.get(`ID_NUMBER:id${p}`)!);
        });
        const records = batch.map((r, i) => rec(`e${i}`, { src: `src${r.source}`, ...(r.customer ? { id: `id${r.person}`, ...(r.phone !== undefined ? { phone: `ph${r.phone}` } : {}) } : {}) }));
        const known = new Map<string, KeyOwner>([...store].slice(0, cached).map(([k, v]) => [k, { customerId: v }]));
        let plans: RecordPlan[] = [];
        for (let round = 0; ; round++) {
          expect(round).toBeLessThan(40);
          plans = planIdentities(records, known, newId);
          const taken: string[] = [];
          for (const w of plans.flatMap((p) => p.writes)) {
            if (w.kind !== 'claim') continue;
            if (store.has(w.key)) taken.push(w.key);
            else {
              store.set(w.key, w.customerId);
              known.set(w.key, { customerId: w.customerId, provisional: true });
            }
          }
          if (!taken.length) break;
          for (const k of taken) known.set(k, { customerId: store.get(k)! });
        }
        // Apply the final plan's other writes and merges to the store.
        for (const p of plans) {
          if (p.merge) for (const [k, v] of store) if (v === p.merge.mergedId) store.set(k, p.merge.survivorId);
          for (const w of p.writes) store.set(w.key, w.customerId);
        }
        // Merges later in the batch carry a customer's keys to the survivor.
        const mergedInto = new Map(plans.filter((p) => p.merge).map((p) => [p.merge!.mergedId, p.merge!.survivorId]));
        const follow = (c: string): string => (mergedInto.has(c) ? follow(mergedInto.get(c)!) : c);
        const lastOwner = new Map<string, string>();
        records.forEach((r, i) => {
          for (const k of [r.keys.idNumber, r.keys.sourceRef, r.keys.phone]) if (k) lastOwner.set(k, plans[i].customerId);
        });
        for (const [k, c] of lastOwner) expect(store.get(k)).toBe(follow(c));
        // Records sharing an idNumber are one customer.
        const byIdNumber = new Map<string, string>();
        records.forEach((r, i) => {
          if (!r.keys.idNumber) return;
          const seen = byIdNumber.get(r.keys.idNumber);
          if (seen) expect(follow(plans[i].customerId)).toBe(seen);
          byIdNumber.set(r.keys.idNumber, follow(plans[i].customerId));
        });
        // No key is left with a candidate the final plan dropped, or with a merged customer.
        const targets = new Set(plans.map((p) => p.customerId));
        for (const owner of store.values()) {
          expect(owner.startsWith('OLD') || targets.has(owner)).toBe(true);
          expect(mergedInto.has(owner)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});
