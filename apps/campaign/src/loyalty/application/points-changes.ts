import { Injectable } from '@nestjs/common';
import { TOPICS } from '@meridian/events';
import { EventPublisher } from '@meridian/events/kafka';
import { Clock, Fence } from '@meridian/shared';
import { EMPTY_LEDGER, PointsCommand, PointsEntry, PointsLedger, nextExpiry, planPoints } from '../domain/points-ledger';
import { pointsEventOf } from './points-events';
import { POINTS_CHUNK, PointsAccounts, PointsCause, StoredPointsAccount } from './ports/points-accounts.port';
import { PointsLocks } from './ports/points-locks.port';
import { PointsMarks } from './ports/points-marks.port';

/** What became of one command. */
export type PointsResult =
  | { status: 'APPLIED'; entries: PointsEntry[]; balance: number }
  /** Its cause was applied before (a redelivery, a retried request): the entry it made then. */
  | { status: 'BEFORE'; entry: PointsEntry; sameRequest: boolean; balance: number }
  | { status: 'REFUSED'; rule: 'isWithinBalance'; balance: number; requested: number };

/** A redemption's request as its key remembers it: the same key with other points or another reason is another request. */
export const fingerprintOf = (c: PointsCommand) => (c.kind === 'REDEEM' ? `${c.points}|${c.reason}` : c.kind === 'AWARD' ? c.reason : '');
/** …and as the entry it made shows it. */
const fingerprintOfEntry = (e: PointsEntry) => (e.kind === 'REDEMPTION' ? `${e.points}|${e.reason}` : e.kind === 'AWARD' ? e.reason : '');

const refOf = (c: PointsCommand) => (c.kind === 'EXPIRE' ? undefined : c.ref);
/** A command whose ref came before among the same commands answers as that one did. */
function againAs(first: PointsResult, sameRequest: boolean): PointsResult {
  if (first.status === 'APPLIED') {
    const entry = first.entries[first.entries.length - 1];
    return { status: 'BEFORE', entry, sameRequest, balance: first.balance };
  }
  return first;
}

const earlier = (a?: string, b?: string) => (!a ? b : !b ? a : Date.parse(a) <= Date.parse(b) ? a : b);

/**
 * How a points account changes (issue 13, point 4), for the Kafka awards, the HTTP redemptions and
 * the expiry job alike: under the account's lock, from its latest state, the commands whose cause
 * was not applied before are planned (planPoints: a redemption never overdraws) and the account
 * written in one document (its ledger and newest entries, whose refs are its causes); then its
 * entries are announced (eventId = entry id) and marked so. A failure after the write leaves the
 * account marked unannounced: the next change of it, or the announce job, announces them.
 */
@Injectable()
export class PointsChanges {
  constructor(
    private readonly accounts: PointsAccounts,
    private readonly locks: PointsLocks,
    private readonly marks: PointsMarks,
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
  ) {}

  /** Applies the commands in order to the customer's account; one result a command. */
  apply(customerId: string, commands: readonly PointsCommand[]): Promise<PointsResult[]> {
    return this.locks.hold(customerId, async (fence) => {
      const [stored, announced] = await Promise.all([this.accounts.load(customerId), this.marks.announced(customerId)]);
      let account: StoredPointsAccount = stored ?? { customerId, rev: 0, ledger: EMPTY_LEDGER, recent: [], archivedThrough: 0 };
      const before = await this.appliedBefore(account, commands);
      // A ref twice among the commands is applied once: the later ones answer as the first did.
      const firstOf = new Map<string, number>();
      const fresh = commands.filter((c, i) => {
        const ref = refOf(c);
        if (before[i] || (ref !== undefined && firstOf.has(ref))) return false;
        if (ref !== undefined) firstOf.set(ref, i);
        return true;
      });
      const plan = planPoints(customerId, account.ledger, fresh);
      if (plan.entries.length) account = await this.write(account, plan.ledger, plan.entries, announced, fence);
      // A settle, or an expiry run that found nothing due (a stale index), puts the account's marks right all the same.
      await this.announce(account, announced, commands.length === 0 || commands.some((c) => c.kind === 'EXPIRE'));
      const balance = account.ledger.balance;
      const results: PointsResult[] = [];
      let next = 0;
      commands.forEach((c, i) => {
        const ref = refOf(c);
        const earlierEntry = before[i];
        const first = ref === undefined ? i : (firstOf.get(ref) ?? i);
        if (earlierEntry) results.push({ status: 'BEFORE', entry: earlierEntry.entry, sameRequest: earlierEntry.fingerprint === fingerprintOf(c), balance });
        else if (first !== i) results.push(againAs(results[first], fingerprintOf(commands[first]) === fingerprintOf(c)));
        else {
          const outcome = plan.outcomes[next++];
          results.push(outcome.status === 'APPLIED' ? { ...outcome, balance } : outcome);
        }
      });
      return results;
    });
  }

  /**
   * An erased customer's points forgotten (PIPL): the account, its archive, its claims, its marks
   * and the customer's own referral claim are deleted; nothing more of them is announced.
   */
  forget(customerId: string): Promise<void> {
    return this.locks.hold(customerId, async (fence) => {
      const stored = await this.accounts.load(customerId);
      if (stored) {
        const chunks = stored.archivedThrough / POINTS_CHUNK;
        const archived = (await Promise.all(Array.from({ length: chunks }, (_, i) => this.accounts.chunk(customerId, i)))).flat();
        const refs = [...archived, ...stored.recent].flatMap((e) => (e.kind === 'EXPIRY' ? [] : [e.ref]));
        await fence();
        await this.accounts.delete(customerId, chunks, refs);
      }
      await this.marks.forget(customerId);
      await this.accounts.forgetReferral(customerId);
    });
  }

  /** Announces what an account's last write left unannounced (the announce job). */
  async settle(customerId: string): Promise<void> {
    await this.apply(customerId, []);
  }

  /**
   * Each command's earlier entry, where its cause was applied before: among the account's own
   * entries, or — only for an account that has archived entries — through the claim its archiving
   * wrote (a cause leaves the account for the archive with its claim; most accounts never do, and
   * pay no look-up).
   */
  private async appliedBefore(account: StoredPointsAccount, commands: readonly PointsCommand[]): Promise<Array<{ entry: PointsEntry; fingerprint: string } | undefined>> {
    const found = new Map<string, { entry: PointsEntry; fingerprint: string }>();
    for (const entry of account.recent) if (entry.kind !== 'EXPIRY') found.set(entry.ref, { entry, fingerprint: fingerprintOfEntry(entry) });
    const missing = [...new Set(commands.flatMap((c) => refOf(c) ?? []))].filter((ref) => !found.has(ref));
    if (missing.length && account.archivedThrough > 0) {
      for (const claim of (await this.accounts.causes(account.customerId, missing)).values()) {
        const entry = await this.entryAt(account, claim.seq);
        if (entry && entry.kind !== 'EXPIRY' && entry.ref === claim.ref) found.set(claim.ref, { entry, fingerprint: fingerprintOfEntry(entry) });
      }
    }
    return commands.map((c) => found.get(refOf(c) ?? ''));
  }

  private async entryAt(account: StoredPointsAccount, seq: number): Promise<PointsEntry | undefined> {
    if (seq < 1 || seq > account.ledger.seq) return undefined;
    if (seq > account.archivedThrough) return account.recent.find((e) => e.seq === seq);
    return (await this.accounts.chunk(account.customerId, Math.floor((seq - 1) / POINTS_CHUNK))).find((e) => e.seq === seq);
  }

  /** Archives announced entries past two chunks (with their causes' claims), and writes the account (rev + 1) under the fence. */
  private async write(account: StoredPointsAccount, ledger: PointsLedger, entries: PointsEntry[], announced: number, fence: Fence): Promise<StoredPointsAccount> {
    let recent = [...account.recent, ...entries];
    let archivedThrough = account.archivedThrough;
    // Only announced entries leave the account: what is still to announce is read from it. Their
    // chunk and claims are written first, alike when retried: an account whose write never lands
    // still holds them, and the claims name the same entries.
    while (recent.length > 2 * POINTS_CHUNK && recent[POINTS_CHUNK - 1].seq <= announced) {
      const leaving = recent.slice(0, POINTS_CHUNK);
      await this.accounts.archive(account.customerId, archivedThrough / POINTS_CHUNK, leaving);
      await this.accounts.claim(account.customerId, leaving.flatMap((e): PointsCause[] => (e.kind === 'EXPIRY' ? [] : [{ ref: e.ref, seq: e.seq }])));
      recent = recent.slice(POINTS_CHUNK);
      archivedThrough += POINTS_CHUNK;
    }
    const next: StoredPointsAccount = { ...account, rev: account.rev + 1, ledger, recent, archivedThrough };
    await this.marks.beforeWrite(account.customerId, this.clock.now(), earlier(nextExpiry(account.ledger)?.at, nextExpiry(ledger)?.at));
    await fence();
    if (!(await this.accounts.write(next, account.rev))) throw new Error(`the points account of ${account.customerId} changed under its lock (rev ${account.rev})`);
    return next;
  }

  /** Announces the entries after `announced` and marks the account announced through its last, due at its next lapse. */
  private async announce(account: StoredPointsAccount, announced: number, refresh: boolean): Promise<void> {
    if (account.ledger.seq <= announced && !refresh) return;
    const pending = account.recent.filter((e) => e.seq > announced);
    if (pending.length) await this.publisher.publishAll(pending.map((e) => ({ topic: TOPICS.campaign, envelope: pointsEventOf(account.customerId, e) })));
    if (account.rev > 0 || refresh) await this.marks.afterAnnounce(account.customerId, account.ledger.seq, nextExpiry(account.ledger)?.at);
  }
}
