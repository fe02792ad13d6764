import fc from 'fast-check';
import { VersionedProfile, profilesLeft } from './customer-facts';

const p = (customerId: string, version: number, status: VersionedProfile['status'] = 'ACTIVE'): VersionedProfile => ({ customerId, version, status, features: { version } });

/** One at a time, as a store applies them under its guard: over an older version only, never over an erasure. */
function applied(facts: readonly VersionedProfile[]): VersionedProfile[] {
  const kept = new Map<string, VersionedProfile>();
  for (const f of facts) {
    const k = kept.get(f.customerId);
    if (k?.status === 'ERASED' || (k && k.version >= f.version)) continue;
    kept.set(f.customerId, f);
  }
  return [...kept.values()];
}

describe('profilesLeft', () => {
  it('keeps an erasure over a later, higher version in the same batch', () => {
    expect(profilesLeft([p('A', 5, 'ERASED'), p('A', 6), p('B', 2), p('B', 1)])).toEqual([p('A', 5, 'ERASED'), p('B', 2)]);
  });

  it('leaves what applying the batch one by one under the guard leaves, whatever the order', () => {
    const fact = fc.record({ customerId: fc.constantFrom('A', 'B', 'C'), version: fc.integer({ min: 1, max: 6 }), status: fc.constantFrom('ACTIVE' as const, 'MERGED' as const, 'ERASED' as const) });
    fc.assert(
      fc.property(fc.array(fact, { maxLength: 12 }), (facts) => {
        const byId = (xs: VersionedProfile[]) => new Map(xs.map((x) => [x.customerId, [x.version, x.status]]));
        expect(byId(profilesLeft(facts.map((f) => ({ ...f, features: {} }))))).toEqual(byId(applied(facts.map((f) => ({ ...f, features: {} })))));
      }),
    );
  });
});
