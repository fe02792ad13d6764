import type { PointsEntry, PointsLedger } from '../../domain/points-ledger';

/** Entries a chunk of the archive holds: entries 1–100 are chunk 0, 101–200 chunk 1… */
export const POINTS_CHUNK = 100;

/** A customer's points account as stored: the ledger, and its newest entries (older ones in archive chunks). */
export interface StoredPointsAccount {
  customerId: string;
  /** Bumped by every write; 0: not stored yet. */
  rev: number;
  ledger: PointsLedger;
  /** Entries after `archivedThrough`, oldest first. */
  recent: PointsEntry[];
  /** Entries up to this seq are in the archive's chunks (a multiple of POINTS_CHUNK). */
  archivedThrough: number;
}

/** An archived award's or redemption's cause: the entry `seq` it made (written as the entry leaves the account for the archive). */
export interface PointsCause {
  ref: string;
  seq: number;
}

/** Where points accounts are kept (MongoDB, by `_id` only: ADR 0005). Written only under the account's lock. */
export abstract class PointsAccounts {
  abstract load(customerId: string): Promise<StoredPointsAccount | undefined>;
  /** Writes the account over `expectedRev` (0: a new account); false when it was not that (a lost lock). */
  abstract write(account: StoredPointsAccount, expectedRev: number): Promise<boolean>;
  /** The claims kept for these refs. */
  abstract causes(customerId: string, refs: readonly string[]): Promise<Map<string, PointsCause>>;
  /** Keeps these causes (written again alike when retried). */
  abstract claim(customerId: string, causes: readonly PointsCause[]): Promise<void>;
  /** Keeps `entries` as the archive's chunk `chunk` (written again alike when retried). */
  abstract archive(customerId: string, chunk: number, entries: readonly PointsEntry[]): Promise<void>;
  abstract chunk(customerId: string, chunk: number): Promise<PointsEntry[]>;
  /** The account, its archive and its claims deleted (PIPL: an erased customer's), chunks 0 to `chunks` − 1. */
  abstract delete(customerId: string, chunks: number, refs: readonly string[]): Promise<void>;
  /**
   * The referred customer claimed for this referrer (`referrerRef`: hashed), once across the bank:
   * answers the ref of the referrer holding the claim (this one's, or an earlier referrer's).
   */
  abstract claimReferral(referredCustomerId: string, referrerRef: string): Promise<string>;
  /** A referred customer's claim gone (PIPL: they were erased). */
  abstract forgetReferral(referredCustomerId: string): Promise<void>;
}
