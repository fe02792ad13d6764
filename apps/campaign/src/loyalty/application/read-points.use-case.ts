import { Injectable, NotFoundException } from '@nestjs/common';
import { Principal } from '@meridian/shared';
import { CustomerRecords } from '../../customers/application/ports/customer-records.port';
import { canReachPoints } from '../domain/points-access';
import { PointsEntry, nextExpiry } from '../domain/points-ledger';
import { POINTS_CHUNK, PointsAccounts } from './ports/points-accounts.port';

export interface PointsView {
  customerId: string;
  balance: number;
  /** The next points to lapse, and when. */
  nextExpiry?: { at: string; points: number };
  /** Newest first. */
  entries: PointsEntry[];
  /** The cursor of the next (older) page. */
  next?: string;
}

/** Whom a caller may not see is answered as nobody: 404, not 403 (a caller learns nothing of whom they may not reach). */
export const outOfReach = (customerId: string) => new NotFoundException(`no points account of ${customerId} within your reach`);

/**
 * GET /v1/customers/{id}/points (issue 13, point 4): the balance, the next expiry and the ledger
 * newest first, `limit` entries a page; the cursor is the seq below which the next page starts.
 * Read by `_id`: the account, then the archive's chunks as far as the page reaches.
 */
@Injectable()
export class ReadPointsUseCase {
  constructor(
    private readonly accounts: PointsAccounts,
    private readonly customers: CustomerRecords,
  ) {}

  async execute(customerId: string, caller: Principal, page: { limit: number; before?: number }): Promise<PointsView> {
    const [account, records] = await Promise.all([this.accounts.load(customerId), this.customers.get([customerId])]);
    const record = records.get(customerId);
    if (!canReachPoints(caller, record && { rmId: record.features?.rmId, branchId: record.features?.branchId })) throw outOfReach(customerId);
    if (!account) return { customerId, balance: 0, entries: [] };
    const below = Math.min(page.before ?? Infinity, account.ledger.seq + 1);
    const entries = account.recent.filter((e) => e.seq < below).reverse().slice(0, page.limit);
    let chunk = Math.floor((Math.min(below, account.archivedThrough + 1) - 2) / POINTS_CHUNK);
    while (entries.length < page.limit && chunk >= 0) {
      const older = (await this.accounts.chunk(customerId, chunk)).filter((e) => e.seq < below).reverse();
      entries.push(...older.slice(0, page.limit - entries.length));
      chunk -= 1;
    }
    const last = entries[entries.length - 1];
    return { customerId, balance: account.ledger.balance, nextExpiry: nextExpiry(account.ledger), entries, ...(last && last.seq > 1 && { next: String(last.seq) }) };
  }
}
