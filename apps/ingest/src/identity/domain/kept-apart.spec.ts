import fc from 'fast-check';
import { PlanRecord, RecordPlan, planIdentities } from './identity-plan';
import { keptApartPairId, keysOfPlannedCustomer } from './kept-apart';
import { newId, owners, rec } from '../../testing/identity-plan-fixtures';

/** A: core banking's customer, idNumber X. B: the card system's card:7, restored by an ADMIN's undo. */
const AB = { 'ID_NUMBER:X': 'A', 'SOURCE_REF:cb:1': 'A', 'SOURCE_REF:card:7': 'B' };
const evidence = ['ID_NUMBER:X', 'SOURCE_REF:card:7'];

describe('keptApartPairId', () => {
  it.each([
    ['A', 'B', 'A|B'],
    ['B', 'A', 'A|B'],
    ['C0F', 'C0A', 'C0A|C0F'],
  ])('(%s, %s) → %s: one record for the unordered pair', (a, b, id) => expect(keptApartPairId(a, b)).toBe(id));
});

describe('planIdentities with kept-apart pairs (ADR 0006: sticky unmerge)', () => {
  const cases: Array<[string, Record<string, string>, string[], PlanRecord, RecordPlan]> = [
    ['no separation: the evidence merges them', AB, [], rec('e1', { id: 'X', src: 'card:7' }), { customerId: 'A', created: false, writes: [], merge: { survivorId: 'A', mergedId: 'B', evidence } }],
    [
      'kept apart: the record stays with its source reference\'s customer, the idNumber stays with A',
      AB,
      [keptApartPairId('A', 'B')],
      rec('e1', { id: 'X', src: 'card:7' }),
      { customerId: 'B', created: false, writes: [], keptApart: { otherId: 'A', evidence, stayed: ['ID_NUMBER:X'] } },
    ],
    [
      'the pair is unordered',
      AB,
      [keptApartPairId('B', 'A')],
      rec('e1', { id: 'X', src: 'card:7' }),
      { customerId: 'B', created: false, writes: [], keptApart: { otherId: 'A', evidence, stayed: ['ID_NUMBER:X'] } },
    ],
    [
      'a phone of A on the record stays with A too: no key of the pair moves between them',
      { ...AB, 'PHONE:P': 'A' },
      ['A|B'],
      rec('e1', { id: 'X', src: 'card:7', phone: 'P' }),
      { customerId: 'B', created: false, writes: [], keptApart: { otherId: 'A', evidence, stayed: ['ID_NUMBER:X', 'PHONE:P'] } },
    ],
    [
      'a phone of a third customer moves to the record\'s customer, as any reassigned phone does',
      { ...AB, 'PHONE:P': 'C' },
      ['A|B'],
      rec('e1', { id: 'X', src: 'card:7', phone: 'P' }),
      { customerId: 'B', created: false, writes: [{ kind: 'move', key: 'PHONE:P', from: 'C', customerId: 'B' }], keptApart: { otherId: 'A', evidence, stayed: ['ID_NUMBER:X'] } },
    ],
    [
      'a new phone is claimed for the record\'s customer',
      AB,
      ['A|B'],
      rec('e1', { id: 'X', src: 'card:7', phone: 'P' }),
      { customerId: 'B', created: false, writes: [{ kind: 'claim', key: 'PHONE:P', customerId: 'B' }], keptApart: { otherId: 'A', evidence, stayed: ['ID_NUMBER:X'] } },
    ],
    [
      'the reverse evidence (B\'s idNumber on A\'s source reference) is kept apart as well',
      { ...AB, 'ID_NUMBER:Y': 'B' },
      ['A|B'],
      rec('e1', { id: 'Y', src: 'cb:1' }),
      { customerId: 'A', created: false, writes: [], keptApart: { otherId: 'B', evidence: ['ID_NUMBER:Y', 'SOURCE_REF:cb:1'], stayed: ['ID_NUMBER:Y'] } },
    ],
    [
      'another pair kept apart does not stop this merge',
      AB,
      ['A|C', 'B|D'],
      rec('e1', { id: 'X', src: 'card:7' }),
      { customerId: 'A', created: false, writes: [], merge: { survivorId: 'A', mergedId: 'B', evidence } },
    ],
    ['a record that proposes no merge is unaffected', AB, ['A|B'], rec('e1', { id: 'X', src: 'cb:1' }), { customerId: 'A', created: false, writes: [] }],
  ];

  it.each(cases)('%s', (_name, known, pairs, record, expected) => {
    expect(planIdentities([record], owners(known), newId, new Set(pairs))).toEqual([expected]);
  });

  it('later records of the batch still find A by its idNumber and B by its source reference', () => {
    const plans = planIdentities(
      [rec('e1', { id: 'X', src: 'card:7' }), rec('e2', { id: 'X', src: 'wealth:3' }), rec('e3', { src: 'card:7' })],
      owners(AB),
      newId,
      new Set(['A|B']),
    );
    expect(plans.map((p) => p.customerId)).toEqual(['B', 'A', 'B']);
    expect(plans[1].writes).toEqual([{ kind: 'claim', key: 'SOURCE_REF:wealth:3', customerId: 'A' }]);
    expect(plans[2]).toEqual({ customerId: 'B', created: false, writes: [] });
  });

  it.each([
    ['a kept-apart plan', { keptApart: { otherId: 'A', evidence, stayed: ['ID_NUMBER:X'] } }, ['SOURCE_REF:card:7', 'PHONE:P']],
    ['any other plan', {}, ['ID_NUMBER:X', 'SOURCE_REF:card:7', 'PHONE:P']],
  ])('keysOfPlannedCustomer: %s', (_name, plan, keys) => {
    expect(keysOfPlannedCustomer(rec('e1', { id: 'X', src: 'card:7', phone: 'P' }).keys, plan)).toEqual(keys);
  });

  /**
   * Whatever the store, the batch and the pairs kept apart: no plan merges a kept-apart pair,
   * a kept-apart plan stays with its source reference's customer and writes no key from or
   * to the other one, and a merge the pairs do not name is still made.
   */
  it('never merges a kept-apart pair, nor moves a key between it (property)', () => {
    const customer = fc.integer({ min: 0, max: 3 }).map((i) => `OLD${i}`);
    const store = fc.dictionary(fc.constantFrom(...['ID_NUMBER:x0', 'ID_NUMBER:x1', 'ID_NUMBER:x2', 'SOURCE_REF:s0', 'SOURCE_REF:s1', 'SOURCE_REF:s2', 'PHONE:p0', 'PHONE:p1']), customer);
    const record = fc.record({ id: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }), src: fc.integer({ min: 0, max: 3 }), phone: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }) });
    let keptApartRuns = 0;
    fc.assert(
      fc.property(store, fc.array(fc.tuple(customer, customer), { maxLength: 4 }), fc.array(record, { minLength: 1, maxLength: 8 }), (known, pairs, batch) => {
        const keptApart = new Set(pairs.map(([a, b]) => keptApartPairId(a, b)));
        const records = batch.map((r, i) => rec(`e${i}`, { src: `s${r.src}`, ...(r.id !== undefined ? { id: `x${r.id}` } : {}), ...(r.phone !== undefined ? { phone: `p${r.phone}` } : {}) }));
        const plans = planIdentities(records, owners(known), newId, keptApart);
        const unguarded = planIdentities(records, owners(known), newId);
        plans.forEach((plan, i) => {
          if (plan.merge) expect(keptApart.has(keptApartPairId(plan.merge.survivorId, plan.merge.mergedId))).toBe(false);
          if (!plan.keptApart) return;
          expect(plan.keptApart.evidence).toEqual([records[i].keys.idNumber, records[i].keys.sourceRef]);
          for (const w of plan.writes) {
            expect(w.customerId).toBe(plan.customerId);
            if (w.kind !== 'claim') expect(w.from).not.toBe(plan.keptApart.otherId);
          }
        });
        // Up to the first record a separation changed, the plans are the same as without any.
        const first = plans.findIndex((p) => p.keptApart);
        if (first < 0) expect(plans).toEqual(unguarded);
        else {
          keptApartRuns++;
          expect(plans.slice(0, first)).toEqual(unguarded.slice(0, first));
          expect(unguarded[first].merge).toMatchObject({ survivorId: plans[first].keptApart!.otherId, mergedId: plans[first].customerId });
        }
      }),
      { numRuns: 300 },
    );
    // Not vacuous: separations decide some of the runs (about one in ten).
    expect(keptApartRuns).toBeGreaterThan(5);
  });
});

