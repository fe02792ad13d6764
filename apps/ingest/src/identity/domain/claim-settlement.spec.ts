import fc from 'fast-check';
import { ClaimRunStatus, ClaimVerdict, claimRunStartedAt, claimVerdict, mayStillChangeClaims, newClaimRunId } from './claim-settlement';

const LEASE = 20_000;
const T = Date.parse('2026-12-01T12:00:00Z');
const older = newClaimRunId(T - 5, 'aaaa');
const me = newClaimRunId(T, 'bbbb');
const younger = newClaimRunId(T + 5, 'cccc');
const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });

describe('claim settlement (wait-die between resolution runs)', () => {
  it.each<[string, string | undefined, ClaimRunStatus | undefined, number, ClaimVerdict]>([
    ['a key written by a settled change (no claim run)', undefined, undefined, T, 'settled'],
    ['my own claim', me, undefined, T, 'settled'],
    ['an older run that settled', older, 'SETTLED', T, 'settled'],
    ['a run marked abandoned: its claims stand as they are', older, 'ABANDONED', T, 'settled'],
    ['an older run at work: give my claims back, then wait', older, undefined, T, 'yield'],
    ['a younger run at work: wait for it', younger, undefined, T, 'wait'],
    ['a run one millisecond short of its lease', older, undefined, T - 5 + LEASE - 1, 'yield'],
    ['a run whose lease is over: its claims stand as they are', older, undefined, T - 5 + LEASE, 'settled'],
    ['a younger run whose lease is over', younger, undefined, T + 5 + LEASE, 'settled'],
  ])('%s', (_, claimRun, status, now, verdict) => {
    expect(claimVerdict({ claimRun }, status, me, now, LEASE)).toBe(verdict);
  });

  it('orders run ids by start time on every instance, and reads the start back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000_000 }), fc.integer({ min: 0, max: 4_000_000_000_000 }), hex(12), hex(12), (a, b, ra, rb) => {
        const [x, y] = [newClaimRunId(a, ra), newClaimRunId(b, rb)];
        expect(claimRunStartedAt(x)).toBe(a);
        if (a < b) expect(x < y).toBe(true);
      }),
    );
  });

  it('never lets two runs at work wait for each other', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000 }), fc.integer({ min: 0, max: 1_000 }), hex(4), hex(4), (a, b, ra, rb) => {
        const [x, y] = [newClaimRunId(T + a, ra), newClaimRunId(T + b, rb)];
        fc.pre(x !== y);
        const xy = claimVerdict({ claimRun: y }, undefined, x, T + 1_000, LEASE);
        const yx = claimVerdict({ claimRun: x }, undefined, y, T + 1_000, LEASE);
        // One of them waits as it is; the other gives its claims back first.
        expect([xy, yx].sort()).toEqual(['wait', 'yield']);
      }),
    );
  });

  it('stops changing its own claims once half the lease is gone', () => {
    expect(mayStillChangeClaims(me, T + LEASE / 2 - 1, LEASE)).toBe(true);
    expect(mayStillChangeClaims(me, T + LEASE / 2, LEASE)).toBe(false);
  });
});
