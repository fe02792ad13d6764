import fc from 'fast-check';
import { EMPTY_LEDGER, PointsCommand, PointsEntry, PointsLedger, balanceOfEntries, nextExpiry, planPoints } from './points-ledger';
import { pointsExpireAt } from './points-expiry';

const DAY = 86_400_000;
const BASE = Date.parse('2026-01-01T00:00:00Z');
const at = (day: number) => new Date(BASE + day * DAY).toISOString();

const command: fc.Arbitrary<PointsCommand> = fc.oneof(
  fc.record({ points: fc.integer({ min: 1, max: 5_000 }), day: fc.integer({ min: 0, max: 1_200 }), n: fc.nat() }).map(({ points, day, n }): PointsCommand => ({ kind: 'AWARD', ref: `txn:${n}`, points, at: at(day), reason: 'CARD_PURCHASE', expiresAt: pointsExpireAt(at(day), 24) })),
  fc.record({ points: fc.integer({ min: 1, max: 8_000 }), day: fc.integer({ min: 0, max: 1_200 }), n: fc.nat() }).map(({ points, day, n }): PointsCommand => ({ kind: 'REDEEM', ref: `redeem:${n}`, points, at: at(day), reason: 'GIFT' })),
  fc.integer({ min: 0, max: 1_500 }).map((day): PointsCommand => ({ kind: 'EXPIRE', asOf: at(day) })),
);

describe('planPoints: the loyalty ledger', () => {
  it('for any sequence of awards, redemptions and expiries, in any writes, the balance is the sum of the entries and never below zero', () => {
    fc.assert(
      fc.property(fc.array(fc.array(command, { maxLength: 6 }), { maxLength: 25 }), (writes) => {
        let ledger: PointsLedger = EMPTY_LEDGER;
        const entries: PointsEntry[] = [];
        for (const commands of writes) {
          const before = ledger;
          const plan = planPoints('C1', ledger, commands);
          ledger = plan.ledger;
          entries.push(...plan.entries);
          expect(plan.outcomes).toHaveLength(commands.length);
          // Numbered one after another, each with the balance after it.
          plan.entries.forEach((e, i) => expect(e.seq).toBe(before.seq + i + 1));
          let running = before.balance;
          for (const e of plan.entries) {
            running += e.kind === 'AWARD' ? e.points : -e.points;
            expect(e.balanceAfter).toBe(running);
            expect(e.balanceAfter).toBeGreaterThanOrEqual(0);
          }
          expect(ledger.balance).toBe(balanceOfEntries(entries));
          expect(ledger.balance).toBeGreaterThanOrEqual(0);
          expect(ledger.lots.reduce((s, l) => s + l.points, 0)).toBe(ledger.balance);
        }
        // Every award's points are where the ledger says: unspent, spent, or lapsed — never twice.
        for (const award of entries.filter((e) => e.kind === 'AWARD')) {
          const unspent = ledger.lots.find((l) => l.entryId === award.entryId)?.points ?? 0;
          const spent = entries.flatMap((e) => (e.kind === 'REDEMPTION' ? e.taken : [])).filter((t) => t.entryId === award.entryId).reduce((s, t) => s + t.points, 0);
          const lapsed = entries.filter((e) => e.kind === 'EXPIRY' && e.awardedEntryId === award.entryId).reduce((s, e) => s + e.points, 0);
          expect(unspent + spent + lapsed).toBe(award.points);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('refuses exactly the redemptions the unlapsed balance does not cover, and spends the first lots to lapse first', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 40 }), (commands) => {
        let ledger: PointsLedger = EMPTY_LEDGER;
        for (const c of commands) {
          const lapsedBy = c.kind === 'REDEEM' ? ledger.lots.filter((l) => Date.parse(l.expiresAt) <= Date.parse(c.at)).reduce((s, l) => s + l.points, 0) : 0;
          // The unlapsed lots in the order they lapse (then earned): what FIFO spends first.
          const lots = ledger.lots.filter((l) => c.kind !== 'REDEEM' || Date.parse(l.expiresAt) > Date.parse(c.at)).sort((a, b) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt) || a.seq - b.seq);
          const plan = planPoints('C1', ledger, [c]);
          if (c.kind === 'REDEEM') {
            const available = ledger.balance - lapsedBy;
            const [outcome] = plan.outcomes;
            expect(outcome.status).toBe(c.points > available ? 'REFUSED' : 'APPLIED');
            if (outcome.status === 'APPLIED') {
              const redemption = outcome.entries.find((e) => e.kind === 'REDEMPTION');
              if (redemption?.kind !== 'REDEMPTION') throw new Error('no redemption entry');
              // FIFO: the lots taken are a prefix of the unlapsed lots in lapse order, all but the last taken whole.
              redemption.taken.forEach((t, i) => {
                expect(t.entryId).toBe(lots[i].entryId);
                if (i < redemption.taken.length - 1) expect(t.points).toBe(lots[i].points);
              });
            }
          }
          ledger = plan.ledger;
        }
      }),
      { numRuns: 500 },
    );
  });

  it('expires an award 24 months after it was earned, oldest first, as of the instant given', () => {
    const first = planPoints('C1', EMPTY_LEDGER, [
      { kind: 'AWARD', ref: 'txn:a', points: 100, at: '2024-03-01T10:00:00.000Z', reason: 'CARD_PURCHASE', expiresAt: pointsExpireAt('2024-03-01T10:00:00.000Z', 24) },
      { kind: 'AWARD', ref: 'txn:b', points: 50, at: '2024-06-15T10:00:00.000Z', reason: 'CARD_PURCHASE', expiresAt: pointsExpireAt('2024-06-15T10:00:00.000Z', 24) },
      { kind: 'REDEEM', ref: 'redeem:k', points: 30, at: '2025-01-01T00:00:00.000Z', reason: 'GIFT' },
    ]);
    expect(nextExpiry(first.ledger)).toEqual({ at: '2026-03-01T10:00:00.000Z', points: 70 });
    const early = planPoints('C1', first.ledger, [{ kind: 'EXPIRE', asOf: '2026-03-01T09:59:59.999Z' }]);
    expect(early.entries).toEqual([]);
    const due = planPoints('C1', first.ledger, [{ kind: 'EXPIRE', asOf: '2026-03-01T10:00:00.000Z' }]);
    expect(due.entries).toEqual([{ kind: 'EXPIRY', entryId: 'pts-C1-4', seq: 4, points: 70, at: '2026-03-01T10:00:00.000Z', awardedEntryId: 'pts-C1-1', balanceAfter: 50 }]);
    // A redemption after the lapse cannot spend the lapsed points, whether or not the job ran.
    const late = planPoints('C1', first.ledger, [{ kind: 'REDEEM', ref: 'redeem:m', points: 60, at: '2026-04-01T00:00:00.000Z', reason: 'GIFT' }]);
    expect(late.outcomes[0]).toEqual({ status: 'REFUSED', rule: 'isWithinBalance', balance: 50, requested: 60 });
    expect(late.entries.map((e) => e.kind)).toEqual(['EXPIRY']);
  });

  it.each([
    ['2024-02-29T08:00:00.000Z', 24, '2026-02-28T08:00:00.000Z'],
    ['2024-01-31T23:59:00.000Z', 1, '2024-02-29T23:59:00.000Z'],
    ['2025-12-15T00:00:00.000Z', 24, '2027-12-15T00:00:00.000Z'],
  ])('points earned %s lapse %i months later: %s', (earned, months, lapse) => {
    expect(pointsExpireAt(earned, months)).toBe(lapse);
  });
});
