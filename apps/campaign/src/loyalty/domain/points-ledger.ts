/**
 * A customer's loyalty points as a ledger (DOMAIN.md: loyalty points; issue 13, point 4): every
 * change is an entry with its cause, numbered in the order it was made; the balance is what the
 * entries sum to, held in lots — the points of each award still unspent — which redemptions and
 * expiry take oldest first (FIFO: the lot that lapses first goes first).
 */
export interface PointsLot {
  /** The award's entry. */
  entryId: string;
  seq: number;
  /** Points of the award still unspent. */
  points: number;
  expiresAt: string;
}

export interface PointsLedger {
  /** Entries made so far: the next is numbered seq + 1. */
  seq: number;
  balance: number;
  /** Unspent awards, the first to lapse first. */
  lots: readonly PointsLot[];
}

export const EMPTY_LEDGER: PointsLedger = { seq: 0, balance: 0, lots: [] };

/** Why points were awarded: a card PURCHASE, a referral, a campaign goal met. */
export type AwardReason = 'CARD_PURCHASE' | 'REFERRAL' | 'CAMPAIGN_GOAL';

interface EntryBase {
  entryId: string;
  seq: number;
  /** Always above 0: the kind says which way it moved the balance. */
  points: number;
  at: string;
  balanceAfter: number;
}

export interface AwardEntry extends EntryBase {
  kind: 'AWARD';
  reason: AwardReason;
  /** The cause, once a ledger: `txn:<sourceSystem>:<transactionId>`, `referral:<customerId>`, `goal:<messageId>`. */
  ref: string;
  expiresAt: string;
}

export interface RedemptionEntry extends EntryBase {
  kind: 'REDEMPTION';
  reason: string;
  /** The client's key (`redeem:<key>`): the same request again is this redemption. */
  ref: string;
  /** The awards it spent, oldest first. */
  taken: ReadonlyArray<{ entryId: string; points: number }>;
}

export interface ExpiryEntry extends EntryBase {
  kind: 'EXPIRY';
  /** The award whose unspent points lapsed; `at` is when they lapsed. */
  awardedEntryId: string;
}

export type PointsEntry = AwardEntry | RedemptionEntry | ExpiryEntry;

export type PointsCommand =
  | { kind: 'AWARD'; ref: string; points: number; at: string; reason: AwardReason; expiresAt: string }
  | { kind: 'REDEEM'; ref: string; points: number; at: string; reason: string }
  /** Every lot lapsed by `asOf` expires (the daily job, or a redemption's own instant). */
  | { kind: 'EXPIRE'; asOf: string };

export type PointsOutcome = { status: 'APPLIED'; entries: PointsEntry[] } | { status: 'REFUSED'; rule: 'isWithinBalance'; balance: number; requested: number };

export interface PointsPlan {
  ledger: PointsLedger;
  /** The entries made, in order. */
  entries: PointsEntry[];
  /** One a command: what it made, or why it made nothing. */
  outcomes: PointsOutcome[];
}

export const pointsEntryId = (customerId: string, seq: number) => `pts-${customerId}-${seq}`;

const byLapse = (a: PointsLot, b: PointsLot) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt) || a.seq - b.seq;

/** One step at a time, each entry numbered and its balance after it. */
class LedgerStep {
  seq: number;
  balance: number;
  lots: PointsLot[];
  readonly entries: PointsEntry[] = [];

  constructor(
    private readonly customerId: string,
    ledger: PointsLedger,
  ) {
    this.seq = ledger.seq;
    this.balance = ledger.balance;
    this.lots = [...ledger.lots];
  }

  private next(): { entryId: string; seq: number } {
    this.seq += 1;
    return { entryId: pointsEntryId(this.customerId, this.seq), seq: this.seq };
  }

  award(c: Extract<PointsCommand, { kind: 'AWARD' }>): PointsEntry[] {
    if (!Number.isSafeInteger(c.points) || c.points < 1) throw new RangeError(`an award needs whole points above 0, not ${c.points}`);
    const id = this.next();
    this.balance += c.points;
    this.lots.push({ ...id, points: c.points, expiresAt: c.expiresAt });
    this.lots.sort(byLapse);
    return this.made({ kind: 'AWARD', ...id, points: c.points, at: c.at, reason: c.reason, ref: c.ref, expiresAt: c.expiresAt, balanceAfter: this.balance });
  }

  expire(asOf: string): PointsEntry[] {
    const due = this.lots.filter((lot) => Date.parse(lot.expiresAt) <= Date.parse(asOf));
    this.lots = this.lots.filter((lot) => !due.includes(lot));
    return due.flatMap((lot) => {
      this.balance -= lot.points;
      return this.made({ kind: 'EXPIRY', ...this.next(), points: lot.points, at: lot.expiresAt, awardedEntryId: lot.entryId, balanceAfter: this.balance });
    });
  }

  redeem(c: Extract<PointsCommand, { kind: 'REDEEM' }>): PointsOutcome {
    if (!Number.isSafeInteger(c.points) || c.points < 1) throw new RangeError(`a redemption needs whole points above 0, not ${c.points}`);
    // Points lapsed by the redemption's instant are not there to spend, whether or not the daily job has run.
    const lapsed = this.expire(c.at);
    if (c.points > this.balance) return { status: 'REFUSED', rule: 'isWithinBalance', balance: this.balance, requested: c.points };
    const taken: Array<{ entryId: string; points: number }> = [];
    let left = c.points;
    const lots: PointsLot[] = [];
    for (const lot of this.lots) {
      const take = Math.min(left, lot.points);
      left -= take;
      if (take > 0) taken.push({ entryId: lot.entryId, points: take });
      if (lot.points > take) lots.push({ ...lot, points: lot.points - take });
    }
    this.lots = lots;
    this.balance -= c.points;
    const entry = this.made({ kind: 'REDEMPTION', ...this.next(), points: c.points, at: c.at, reason: c.reason, ref: c.ref, taken, balanceAfter: this.balance });
    return { status: 'APPLIED', entries: [...lapsed, ...entry] };
  }

  private made(entry: PointsEntry): PointsEntry[] {
    this.entries.push(entry);
    return [entry];
  }
}

/**
 * The entries these commands make, in order, and the ledger after them: a plan as data, written
 * and announced elsewhere. A redemption that would overdraw makes no entry of its own (REFUSED,
 * with the balance it met) — so no sequence of commands, however they interleave, takes the
 * balance below zero; lots lapsed by its instant expire first, whatever its outcome.
 */
export function planPoints(customerId: string, ledger: PointsLedger, commands: readonly PointsCommand[]): PointsPlan {
  const step = new LedgerStep(customerId, ledger);
  const outcomes = commands.map((c): PointsOutcome => {
    if (c.kind === 'AWARD') return { status: 'APPLIED', entries: step.award(c) };
    if (c.kind === 'EXPIRE') return { status: 'APPLIED', entries: step.expire(c.asOf) };
    return step.redeem(c);
  });
  return { ledger: { seq: step.seq, balance: step.balance, lots: step.lots }, entries: step.entries, outcomes };
}

/** The balance the entries sum to: awards in, redemptions and expiries out. */
export function balanceOfEntries(entries: readonly PointsEntry[]): number {
  return entries.reduce((sum, e) => sum + (e.kind === 'AWARD' ? e.points : -e.points), 0);
}

/** The next points to lapse, and when (the lots lapsing at that instant together). */
export function nextExpiry(ledger: PointsLedger): { at: string; points: number } | undefined {
  const first = ledger.lots[0];
  if (!first) return undefined;
  return { at: first.expiresAt, points: ledger.lots.filter((l) => l.expiresAt === first.expiresAt).reduce((s, l) => s + l.points, 0) };
}
