import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { MarketingChannel } from '@meridian/events';
import { mapLimit, nativeCollection } from '@meridian/shared';
import type { Connection } from 'mongoose';
import { CustomerOptOuts, OptOutFact } from '../application/ports/customer-opt-outs.port';

interface OptOutDoc {
  _id: string;
  channels: MarketingChannel[];
}

/** `customer_opt_outs` on MongoDB, by `_id` only. A customer's interactions come from one partition: one instance writes them. */
@Injectable()
export class CustomerOptOutRepository implements CustomerOptOuts {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get optOuts() {
    return nativeCollection<OptOutDoc>(this.connection, 'customer_opt_outs');
  }

  async get(customerIds: readonly string[]): Promise<Map<string, MarketingChannel[]>> {
    const docs = await mapLimit([...new Set(customerIds)], 16, (id) => this.optOuts.findOne({ _id: id }));
    return new Map(docs.filter((d): d is OptOutDoc => !!d).map((d) => [d._id, d.channels]));
  }

  async record(facts: readonly OptOutFact[]): Promise<void> {
    if (!facts.length) return;
    const kept = await this.get(facts.map((f) => f.customerId));
    const next = new Map<string, Set<MarketingChannel>>();
    for (const f of facts) next.set(f.customerId, new Set([...(next.get(f.customerId) ?? kept.get(f.customerId) ?? []), f.channel]));
    const changed = [...next].filter(([id, channels]) => channels.size !== (kept.get(id)?.length ?? 0));
    if (!changed.length) return;
    await this.optOuts.bulkWrite(changed.map(([id, channels]) => ({ replaceOne: { filter: { _id: id }, replacement: { channels: [...channels].sort() }, upsert: true } })), { ordered: false });
  }
}
