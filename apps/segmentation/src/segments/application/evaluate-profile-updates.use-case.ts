import { Injectable } from '@nestjs/common';
import type { EnvelopeInit, EventEnvelope, ProfileUpdated } from '@meridian/events';
import { BatchOutcome, EventPublisher } from '@meridian/events/kafka';
import { KeyedMutex } from '@meridian/shared';
import { evaluateCustomer, membershipChanges } from '../domain/evaluate-customer';
import { SegmentChange } from '../domain/segment-state';
import { RuleBook, RuleBookEdition } from './ports/rule-book.port';
import { SegmentStateDoc, SegmentStateStore } from './ports/segment-state-store.port';
import { announceChanges, onSegmentTopic } from './segment-announcements';

const MAX_WRITE_ATTEMPTS = 6;

export interface ProfileUpdateItem {
  /** Position in the run. */
  index: number;
  envelope: EventEnvelope<ProfileUpdated>;
}

interface CustomerResult {
  applied: Set<number>;
  /** What goes out: a stored outbox not yet sent (a crash came between write and publish), then what this run decided. */
  announce: EnvelopeInit[];
  /** The document whose outbox this is, to clear once sent. */
  sent?: { _id: string; rev: number };
}

/**
 * Evaluates a run of ProfileUpdated (crm.profile.v1), a customer at a time, in order: tier,
 * stage, churn band, RFM, tags and segments from the feature snapshot, and announces on
 * crm.segment.v1 only what changed. The state, the profile version it stands for (the
 * embedded inbox) and the events it announces (the embedded outbox) are one document
 * write (STYLE.md rule 12), the outbox cleared once published: a redelivered version
 * changes nothing, and sends only what a crash left in the outbox (same eventIds). A MERGED or ERASED profile leaves every segment and keeps
 * only a tombstone.
 */
@Injectable()
export class EvaluateProfileUpdatesUseCase {
  constructor(
    private readonly states: SegmentStateStore,
    private readonly ruleBook: RuleBook,
    private readonly publisher: EventPublisher,
    private readonly locks: KeyedMutex,
  ) {}

  async execute(items: readonly ProfileUpdateItem[]): Promise<Map<number, BatchOutcome>> {
    const byCustomer = new Map<string, ProfileUpdateItem[]>();
    for (const item of items) byCustomer.set(item.envelope.payload.customerId, [...(byCustomer.get(item.envelope.payload.customerId) ?? []), item]);
    const edition = await this.ruleBook.current();
    const loaded = await this.states.load([...byCustomer.keys()]);
    const outcomes = new Map<number, BatchOutcome>();
    const announce: EnvelopeInit[] = [];
    const sent: Array<{ _id: string; rev: number }> = [];
    for (const [customerId, list] of byCustomer) {
      const result = await this.locks.run(customerId, () => this.evaluateInto(customerId, list, loaded.get(customerId), edition));
      for (const item of list) outcomes.set(item.index, { status: result.applied.has(item.index) ? 'applied' : 'duplicate' });
      announce.push(...result.announce);
      if (result.sent) sent.push(result.sent);
    }
    await this.publisher.publishAll(onSegmentTopic(announce));
    // Offsets are committed after this: a crash before it re-relays the outboxes, and only them.
    await this.states.clearOutboxes(sent);
    return outcomes;
  }

  private async evaluateInto(customerId: string, list: ProfileUpdateItem[], loaded: SegmentStateDoc | undefined, edition: RuleBookEdition): Promise<CustomerResult> {
    let doc = loaded;
    for (let attempt = 1; ; attempt++) {
      const { next, fresh, applied } = this.fold(customerId, doc, list, edition);
      // Still in the outbox: a crash came between the write and the publish (the records are redelivered).
      const pending = doc?.outbox ?? [];
      if (!next) return { applied, announce: pending, sent: pending.length && doc ? { _id: doc._id, rev: doc.rev } : undefined };
      if (await this.states.save(next, doc?.rev)) return { applied, announce: [...pending, ...fresh], sent: next.outbox.length ? { _id: next._id, rev: next.rev } : undefined };
      if (attempt >= MAX_WRITE_ATTEMPTS) throw new Error(`segment state ${customerId}: ${attempt} concurrent writes in a row`);
      doc = (await this.states.load([customerId])).get(customerId);
    }
  }

  /** The customer's document after the run's new versions (none: nothing new), and which records were new. */
  private fold(customerId: string, doc: SegmentStateDoc | undefined, list: ProfileUpdateItem[], edition: RuleBookEdition): { next?: SegmentStateDoc; fresh: EnvelopeInit[]; applied: Set<number> } {
    let current = doc;
    const applied = new Set<number>();
    const outbox: EnvelopeInit[] = [];
    for (const { index, envelope } of list) {
      const update = envelope.payload;
      if (current && update.version <= current.profileVersion) continue; // evaluated before: a redelivery, or an older announcement
      const status = update.status ?? 'ACTIVE';
      const cause = { customerId, cause: `p${update.version}`, occurredAt: update.features.asOf ?? envelope.occurredAt, causationId: envelope.eventId, correlationId: envelope.correlationId ?? envelope.eventId };
      let changes: SegmentChange[];
      if (status === 'ACTIVE') {
        const previous = current?.status === 'ACTIVE' ? current : undefined;
        const evaluation = evaluateCustomer(previous, update.features, cause.occurredAt, update.version, edition.membership, edition.numbers);
        changes = evaluation.changes;
        current = { _id: customerId, rev: doc?.rev ?? 0, outbox: [], status: 'ACTIVE', ...evaluation.state };
        cause.occurredAt = evaluation.state.asOf;
      } else {
        // Merged into a survivor (whose own ProfileUpdated brings the merged features) or erased: out of everything.
        changes = membershipChanges(current?.memberships ?? [], []);
        current = { _id: customerId, rev: doc?.rev ?? 0, outbox: [], status, profileVersion: update.version, asOf: cause.occurredAt, memberships: [] };
      }
      outbox.push(...announceChanges(changes, cause));
      applied.add(index);
    }
    if (!current || !applied.size) return { fresh: [], applied };
    // A pending outbox is sent with this run's (before it): the new document carries both until cleared.
    return { next: { ...current, rev: (doc?.rev ?? 0) + 1, outbox: [...(doc?.outbox ?? []), ...outbox] }, fresh: outbox, applied };
  }
}
