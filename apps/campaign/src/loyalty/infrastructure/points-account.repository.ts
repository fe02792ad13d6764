import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Clock, nativeCollection, writeAtRevision } from '@meridian/shared';
import type { Connection } from 'mongoose';
import type { PointsEntry } from '../domain/points-ledger';
import { PointsAccounts, PointsCause, StoredPointsAccount } from '../application/ports/points-accounts.port';

type AccountDoc = Omit<StoredPointsAccount, 'customerId'> & { _id: string; updatedAt: Date };
type CauseDoc = Omit<PointsCause, 'ref'> & { _id: string; ref: string };
type ChunkDoc = { _id: string; entries: PointsEntry[] };
type ReferralDoc = { _id: string; referrerRef: string };

/**
 * Points accounts in MongoDB, every read and write by `_id` (ADR 0005): `points_accounts` (the
 * ledger and its newest entries, `_id` = customerId), `points_causes` (`<customerId>|<ref>`: the
 * archived entry a cause made) and `points_entries` (`<customerId>|<chunk>`: the archive, 100 entries a
 * document) and `points_referrals` (`_id` = the referred customer: by whom, hashed). Written under the account's lock only (PointsLocks).
 */
@Injectable()
export class PointsAccountRepository implements PointsAccounts {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly clock: Clock,
  ) {}

  private get accounts() {
    return nativeCollection<AccountDoc>(this.connection, 'points_accounts');
  }

  private get causeDocs() {
    return nativeCollection<CauseDoc>(this.connection, 'points_causes');
  }

  private get chunks() {
    return nativeCollection<ChunkDoc>(this.connection, 'points_entries');
  }

  async load(customerId: string): Promise<StoredPointsAccount | undefined> {
    const doc = await this.accounts.findOne({ _id: customerId });
    if (!doc) return undefined;
    const { _id, updatedAt: _, ...account } = doc;
    return { customerId: _id, ...account };
  }

  async write(account: StoredPointsAccount, expectedRev: number): Promise<boolean> {
    const { customerId, ...rest } = account;
    const doc: AccountDoc = { _id: customerId, ...rest, updatedAt: this.clock.now() };
    return writeAtRevision(this.accounts, doc, expectedRev);
  }

  async causes(customerId: string, refs: readonly string[]): Promise<Map<string, PointsCause>> {
    const docs = await Promise.all(refs.map((ref) => this.causeDocs.findOne({ _id: `${customerId}|${ref}` })));
    return new Map(docs.flatMap((d) => (d ? [[d.ref, { ref: d.ref, seq: d.seq }] as const] : [])));
  }

  async claim(customerId: string, causes: readonly PointsCause[]): Promise<void> {
    if (!causes.length) return;
    await this.causeDocs.bulkWrite(
      causes.map((c) => ({ replaceOne: { filter: { _id: `${customerId}|${c.ref}` }, replacement: { ref: c.ref, seq: c.seq }, upsert: true } })),
      { ordered: false },
    );
  }

  async archive(customerId: string, chunk: number, entries: readonly PointsEntry[]): Promise<void> {
    await this.chunks.replaceOne({ _id: `${customerId}|${chunk}` }, { entries: [...entries] }, { upsert: true });
  }

  async delete(customerId: string, chunks: number, refs: readonly string[]): Promise<void> {
    await Promise.all([
      ...refs.map((ref) => this.causeDocs.deleteOne({ _id: `${customerId}|${ref}` })),
      ...Array.from({ length: chunks }, (_, i) => this.chunks.deleteOne({ _id: `${customerId}|${i}` })),
    ]);
    await this.accounts.deleteOne({ _id: customerId });
  }

  async claimReferral(referredCustomerId: string, referrerRef: string): Promise<string> {
    const referrals = nativeCollection<ReferralDoc>(this.connection, 'points_referrals');
    try {
      await referrals.insertOne({ _id: referredCustomerId, referrerRef });
      return referrerRef;
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      return (await referrals.findOne({ _id: referredCustomerId }))?.referrerRef ?? referrerRef;
    }
  }

  async forgetReferral(referredCustomerId: string): Promise<void> {
    await nativeCollection<ReferralDoc>(this.connection, 'points_referrals').deleteOne({ _id: referredCustomerId });
  }

  async chunk(customerId: string, chunk: number): Promise<PointsEntry[]> {
    return (await this.chunks.findOne({ _id: `${customerId}|${chunk}` }))?.entries ?? [];
  }
}
