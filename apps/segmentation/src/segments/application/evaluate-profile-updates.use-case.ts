import { Injectable } from '@nestjs/common';
import type { EventEnvelope, ProfileUpdated } from '@meridian/events';
import { BatchOutcome } from '@meridian/events/kafka';
import { SegmentationConfig } from '../../config/segmentation.config';
import { evaluateCustomer, membershipChanges } from '../domain/evaluate-customer';
import { SegmentChange } from '../domain/segment-state';
import { JudgedWrites } from './judged-writes';
import { RuleBookEdition } from './ports/rule-book.port';
import { SegmentStateDoc } from './ports/segment-state-store.port';
import { Announcement, announce } from './segment-announcements';
import { Decided } from './state-writes';

export interface ProfileUpdateItem {
  /** Position in the run. */
  index: number;
  envelope: EventEnvelope<ProfileUpdated>;
}

/**
 * Evaluates a run of ProfileUpdated (crm.profile.v1), a customer at a time, in order: tier,
 * stage, churn band, RFM, tags and segments from the feature snapshot, and announces on
 * crm.segment.v1 only what changed. The state, the profile version it stands for (the
 * embedded inbox) and the events it announces (the embedded outbox) are one document
 * write (STYLE.md rule 12), the outbox cleared once published: a redelivered version
 * changes nothing, and sends only what a crash left in the outbox (same eventIds). A MERGED
 * or ERASED profile leaves every segment and keeps only a tombstone.
 */
@Injectable()
export class EvaluateProfileUpdatesUseCase {
  constructor(
    private readonly judged: JudgedWrites,
    private readonly config: SegmentationConfig,
  ) {}

  /** `heartbeat` keeps the consumer's group membership alive between chunks: a run of a few thousand first evaluations takes longer than a session. */
  async execute(items: readonly ProfileUpdateItem[], heartbeat: () => Promise<void> = async () => undefined): Promise<Map<number, BatchOutcome>> {
    const byCustomer = new Map<string, ProfileUpdateItem[]>();
    for (const item of items) byCustomer.set(item.envelope.payload.customerId, [...(byCustomer.get(item.envelope.payload.customerId) ?? []), item]);
    const applied = new Map<string, Set<number>>();
    // A few customers at a time: a first evaluation against hundreds of segments announces as many
    // memberships, and a whole batch of them at once would not fit the service's heap.
    const customers = [...byCustomer];
    for (let start = 0; start < customers.length; start += this.config.SEGMENT_EVALUATION_CHUNK) {
      const chunk = new Map(customers.slice(start, start + this.config.SEGMENT_EVALUATION_CHUNK));
      for (const customerId of chunk.keys()) applied.set(customerId, new Set());
      await this.judged.run([...chunk.keys()], (doc, edition, customerId) => fold(customerId, doc, chunk.get(customerId) ?? [], edition, applied.get(customerId) as Set<number>));
      await heartbeat();
    }
    const outcomes = new Map<number, BatchOutcome>();
    for (const [customerId, list] of byCustomer) for (const item of list) outcomes.set(item.index, { status: applied.get(customerId)?.has(item.index) ? 'applied' : 'duplicate' });
    return outcomes;
  }
}

/** The customer's document after the run's new versions (none: nothing new); `applied` learns which records were new. */
function fold(customerId: string, doc: SegmentStateDoc | undefined, list: ProfileUpdateItem[], edition: RuleBookEdition, applied: Set<number>): Decided {
  applied.clear();
  let current = doc;
  const fresh: Announcement[] = [];
  for (const { index, envelope } of list) {
    const update = envelope.payload;
    if (current && update.version <= current.profileVersion) continue; // evaluated before: a redelivery, or an older announcement
    const status = update.status ?? 'ACTIVE';
    const base = { _id: customerId, rev: (doc?.rev ?? 0) + 1, outbox: [] };
    let changes: SegmentChange[];
    let at = update.features.asOf ?? envelope.occurredAt;
    if (status === 'ACTIVE') {
      const evaluation = evaluateCustomer(current?.status === 'ACTIVE' ? current : undefined, update.features, at, update.version, edition.membership, edition.numbers);
      changes = evaluation.changes;
      at = evaluation.state.asOf;
      current = { ...base, status: 'ACTIVE', ...evaluation.state };
    } else {
      // Merged into a survivor (whose own ProfileUpdated brings the merged features) or erased: out of everything.
      changes = membershipChanges(current?.memberships ?? [], []);
      current = { ...base, status, profileVersion: update.version, asOf: at, memberships: [] };
    }
    fresh.push(...announce(changes, { customerId, cause: `p${update.version}`, occurredAt: at, causationId: envelope.eventId, correlationId: envelope.correlationId ?? envelope.eventId }));
    applied.add(index);
  }
  if (!current || !applied.size) return { fresh: [] };
  // A pending outbox goes out with this run's events (before them): the new document carries both until cleared.
  return { next: { ...current, outbox: [...(doc?.outbox ?? []), ...fresh] }, fresh };
}
