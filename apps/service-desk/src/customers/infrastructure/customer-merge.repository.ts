import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { mapLimit, nativeCollection } from '@meridian/shared';
import type { Connection } from 'mongoose';
import { CustomerMerges } from '../application/ports/customer-merges.port';
import { MergeFact } from '../application/merge-facts';

type MergeDoc = Omit<MergeFact, 'customerId'> & { _id: string };

/** `customer_merges` on MongoDB, by `_id` only. Merges come keyed by the survivor: one instance at a time writes a survivor's. */
@Injectable()
export class CustomerMergeRepository implements CustomerMerges {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get merges() {
    return nativeCollection<MergeDoc>(this.connection, 'customer_merges');
  }

  async get(customerIds: readonly string[]): Promise<Map<string, MergeFact>> {
    const docs = await mapLimit([...new Set(customerIds)], 16, (id) => this.merges.findOne({ _id: id }));
    return new Map(docs.filter((d): d is MergeDoc => !!d).map(({ _id, ...fact }) => [_id, { customerId: _id, ...fact }]));
  }

  async put(facts: readonly MergeFact[]): Promise<void> {
    // One at a time, in order: the survivor's, which records the fold, is written last.
    for (const { customerId, ...fact } of facts) await this.merges.replaceOne({ _id: customerId }, JSON.parse(JSON.stringify(fact)) as Omit<MergeDoc, '_id'>, { upsert: true });
  }
}
