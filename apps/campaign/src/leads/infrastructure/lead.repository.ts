import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { nativeCollection, writeAtRevision } from '@meridian/shared';
import type { Connection } from 'mongoose';
import { LeadStore, StoredLead } from '../application/ports/lead-store.port';

/** Pending events are kept as JSON text: an envelope's payload may hold keys MongoDB refuses. */
type LeadDoc = Omit<StoredLead, 'pending'> & { _id: string; pendingJson: string };

/** `leads` in MongoDB, `_id` = customerId: a customer's current lead and what its last write has to announce. */
@Injectable()
export class LeadRepository implements LeadStore {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get leads() {
    return nativeCollection<LeadDoc>(this.connection, 'leads');
  }

  async load(customerIds: readonly string[]): Promise<Map<string, StoredLead>> {
    const docs = await Promise.all([...new Set(customerIds)].map((id) => this.leads.findOne({ _id: id })));
    return new Map(docs.flatMap((d) => (d ? [[d._id, { lead: d.lead, rev: d.rev, pending: JSON.parse(d.pendingJson) as StoredLead['pending'] }] as const] : [])));
  }

  async write(stored: StoredLead, expectedRev: number): Promise<boolean> {
    const doc: LeadDoc = { _id: stored.lead.customerId, lead: JSON.parse(JSON.stringify(stored.lead)) as StoredLead['lead'], rev: stored.rev, pendingJson: JSON.stringify(stored.pending) };
    return writeAtRevision(this.leads, doc, expectedRev);
  }

  async delete(customerId: string): Promise<void> {
    await this.leads.deleteOne({ _id: customerId });
  }
}
