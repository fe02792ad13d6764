import { Injectable, Logger } from '@nestjs/common';
import { IdentityMerged, IdentityUnmerged, TOPICS } from '@meridian/events';
import { BatchOutcome, EventPublisher, OutgoingEvent } from '@meridian/events/kafka';
import { BlindIndex, Clock, KeyedMutex } from '@meridian/shared';
import { ProfileConfig } from '../../config/profile.config';
import { FOLDED_TYPES, foldEvent } from '../domain/fold-event';
import { MAX_MERGE_CHAIN, mergeChainEnd } from '../domain/merge-chain-end';
import { Membership, mergeMembership, unmergeMembership } from '../domain/merge-membership';
import { nextWindowChange } from '../domain/next-window-change';
import { changedFields, emptyFeatures, snapshotOf } from '../domain/profile-snapshot';
import { emptyProfile } from '../domain/profile-state';
import { rollProfile } from '../domain/roll-profile';
import { ProfileSealer } from './ports/profile-sealer.port';
import { activeProfileDoc } from './active-profile-doc';
import { lookupKeyChange } from './pii-keys';
import { DataKeys } from './ports/data-keys.port';
import { PiiIndex } from './ports/pii-index.port';
import { DueEntry, ProfileDueIndex } from './ports/profile-due-index.port';
import { ProfileEventDoc, ProfileEventLog } from './ports/profile-event-log.port';
import { ProfileDoc, ProfileStore } from './ports/profile-store.port';
import { announceProfile } from './profile-announcement';
import { ProfileRecord, requireKey } from './profile-record';
import { noteAnnouncedVersions } from './announced-versions';
import { ProfileEraser } from './profile-eraser';

/** What a rebuild does: the profiles to refold (survivor first), and the one that becomes a pointer. */
interface RebuildPlan {
  survivorId: string;
  otherId: string;
  membership: (survivor: ProfileDoc | undefined, other: ProfileDoc | undefined) => Membership & { pointerMergedFrom?: string[] };
  /** IdentityMerged: `otherId` becomes a pointer to the survivor. */
  merge: boolean;
}

interface Write {
  customerId: string;
  doc: ProfileDoc | undefined;
  next: ProfileDoc;
  announcement: OutgoingEvent;
  index?: { keys: string[]; forget: string[] };
  /** The day roll's due index after the write: when the refolded profile's windows next move (a pointer: due no more). */
  due: DueEntry;
}

/**
 * IdentityMerged / IdentityUnmerged (ADR 0007: merges and splits rebuild from the log).
 * A merge rebuilds the survivor from its own logged events and those of every customer
 * merged into it (merge-membership decides whose) and turns the merged profile into a
 * pointer; an unmerge rebuilds both from their own events. Idempotent: the governance
 * event's offset is recorded on the survivor, and the survivor is written last — a
 * rebuild cut short after another write is done again in full, never taken for done.
 */
@Injectable()
export class RebuildIdentityUseCase {
  private readonly logger = new Logger(RebuildIdentityUseCase.name);

  constructor(
    private readonly profiles: ProfileStore,
    private readonly eventLog: ProfileEventLog,
    private readonly piiIndex: PiiIndex,
    private readonly keys: DataKeys,
    private readonly sealing: ProfileSealer,
    private readonly blindIndex: BlindIndex,
    private readonly publisher: EventPublisher,
    private readonly config: ProfileConfig,
    private readonly locks: KeyedMutex,
    private readonly clock: Clock,
    private readonly eraser: ProfileEraser,
    private readonly dueIndex: ProfileDueIndex,
  ) {}

  async execute(item: ProfileRecord): Promise<BatchOutcome> {
    const e = item.envelope;
    if (e.type === 'IdentityMerged') {
      const m = e.payload as IdentityMerged;
      // Merges of one chain can arrive out of order (M→S keyed S, S→T keyed T, on different
      // partitions): M then goes where S went, never into a resurrected S.
      const survivorId = await this.finalSurvivor(m.survivorId);
      if (survivorId === m.mergedId) {
        this.logger.warn(`IdentityMerged ${e.eventId}: ${m.mergedId} would be merged into itself; skipped`);
        return { status: 'skipped' };
      }
      const plan: RebuildPlan = { survivorId, otherId: m.mergedId, merge: true, membership: (s, o) => mergeMembership({ id: survivorId, mergedFrom: s?.mergedFrom }, { id: m.mergedId, mergedFrom: o?.mergedFrom }) };
      return this.locks.run([survivorId, m.mergedId], () => this.rebuild(item, plan));
    }
    const u = e.payload as IdentityUnmerged;
    // The survivor may have been merged on since: the restored customer is released from where the chain ends.
    const holder = await this.finalSurvivor(u.survivorId);
    const plan: RebuildPlan = { survivorId: holder, otherId: u.restoredId, merge: false, membership: (s, o) => unmergeMembership({ id: holder, mergedFrom: s?.mergedFrom }, { id: u.restoredId, mergedFrom: o?.mergedFrom }) };
    return this.locks.run([holder, u.restoredId], () => this.rebuild(item, plan));
  }

  /** Where a customer's merges lead, read straight from the database (governance decides on it). */
  private async finalSurvivor(customerId: string): Promise<string> {
    const end = await mergeChainEnd(customerId, async (id) => (await this.profiles.loadFresh(id)) ?? undefined);
    if (!end.complete) throw new Error(`merge chain from ${customerId} is longer than ${MAX_MERGE_CHAIN}`);
    return end.id;
  }

  private async rebuild(item: ProfileRecord, plan: RebuildPlan): Promise<BatchOutcome> {
    const ids = [plan.survivorId, plan.otherId];
    // The redelivery check and the versions the writes are conditioned on come from the database, as the
    // fold's retries do: a cache entry left stale by a failed cache write would make every retry conflict.
    const docs = await this.loadFresh(ids);
    const survivor = docs.get(plan.survivorId);
    if ((survivor?.offsets[item.source] ?? -1) >= item.offset) {
      await this.announceAgain(ids, docs);
      return { status: 'duplicate' };
    }
    if ([...docs.values()].some((d) => d.status === 'ERASED')) return { status: 'skipped' };
    // Merged elsewhere since finalSurvivor looked: the retry follows the new pointer.
    if (survivor?.status === 'MERGED') throw new Error(`profile ${plan.survivorId} was merged into ${survivor.mergedInto} meanwhile; retrying`);

    const other = docs.get(plan.otherId);
    const membership = plan.membership(survivor, other);
    const announced = new Map<string, number>();
    try {
      return await this.rebuildFrom(item, plan, docs, membership, announced);
    } finally {
      // ADR 0007 (erasure on the owner of the customer): a rebuild writes profiles, keys and look-ups as a fold does.
      await this.eraser.reassert([...new Set([...ids, ...membership.readsEventsOf])], announced);
    }
  }

  private async rebuildFrom(item: ProfileRecord, plan: RebuildPlan, docs: Map<string, ProfileDoc>, membership: ReturnType<RebuildPlan['membership']>, announced: Map<string, number>): Promise<BatchOutcome> {
    const other = docs.get(plan.otherId);
    const keys = await this.keys.keysFor(membership.readsEventsOf, this.clock.now());
    const logged = await this.eventLog.eventsOf(membership.readsEventsOf);
    const writes: Write[] = [];
    for (const [customerId, holds] of membership.holds) writes.push(this.refold(item, plan, customerId, holds, docs, keys, logged));
    if (plan.merge) writes.push(this.pointer(item, plan, other, membership.pointerMergedFrom ?? [], requireKey(keys, plan.otherId)));

    const announcements = writes.map((w) => w.announcement);
    noteAnnouncedVersions(announced, announcements);
    // The survivor, which records the governance offset, last.
    writes.sort((a, b) => Number(a.customerId === plan.survivorId) - Number(b.customerId === plan.survivorId));
    for (const w of writes) {
      // A concurrent write lost the race: the run is retried, and the rebuild (idempotent until its offset is recorded) starts over.
      if (!(await this.profiles.save(w.next, w.doc?.version))) throw new Error(`profile ${w.customerId} changed during a rebuild; retrying`);
      if (w.index) await this.piiIndex.indexPii(w.customerId, w.index.keys, w.index.forget);
    }
    await this.publisher.publishAll(announcements);
    await this.dueIndex.schedule(writes.map((w) => w.due));
    this.logger.log(`${item.envelope.type}: rebuilt ${[...membership.holds.keys()].join(', ')} from ${logged.length} logged events`);
    return { status: 'applied' };
  }

  private async loadFresh(ids: readonly string[]): Promise<Map<string, ProfileDoc>> {
    const docs = new Map<string, ProfileDoc>();
    for (const id of ids) {
      const doc = await this.profiles.loadFresh(id);
      if (doc) docs.set(id, doc);
    }
    return docs;
  }

  /** Redelivered: the crash may have come after the writes and before the announcements — they go again. */
  private async announceAgain(ids: string[], docs: Map<string, ProfileDoc>): Promise<void> {
    const again: OutgoingEvent[] = [];
    for (const id of ids) {
      const doc = docs.get(id);
      const key = doc?.outbox ? await this.keys.keyOf(id) : undefined;
      if (doc?.outbox && key) again.push({ topic: TOPICS.profile, envelope: this.sealing.openOutbox(key, id, doc.outbox) });
    }
    await this.publisher.publishAll(again);
  }

  /** One profile folded again from the logged events of the customers it holds. */
  private refold(item: ProfileRecord, plan: RebuildPlan, customerId: string, holds: Set<string>, docs: Map<string, ProfileDoc>, keys: Map<string, Buffer>, logged: ProfileEventDoc[]): Write {
    const state = emptyProfile(customerId);
    const events = logged.filter((l) => holds.has(l.customerId) && FOLDED_TYPES.has(l.type)).sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || (a._id < b._id ? -1 : 1));
    const doc = docs.get(customerId);
    const key = requireKey(keys, customerId);
    const offsets = { ...(doc?.offsets ?? {}) };
    for (const l of events) {
      const payload = this.sealing.openEvent(requireKey(keys, l.customerId), l.customerId, l._id, l.sealed);
      foldEvent(state, { eventId: l._id, type: l.type, occurredAt: l.occurredAt, payload }, this.config.rules);
      // Logged by a run still waiting to fold it: it is in now, and must not be folded again.
      offsets[l.source] = Math.max(offsets[l.source] ?? -1, Number(l.offset));
    }
    state.mergedFrom = [...holds].filter((m) => m !== customerId).sort();
    // The day roll may have moved the stored profile's "now" past its newest event: a rebuild applies that roll
    // again (never an asOf that came from events the rebuild does not hold: a split customer's, say), so the
    // profile stays what its events and rolls make it, whatever the order they came in.
    // (A restored customer, a pointer until now, is rolled forward by the next roll: its due instant is set below.)
    if (doc?.rolledTo) rollProfile(state, doc.rolledTo, this.config.rules);
    if (customerId === plan.survivorId) offsets[item.source] = item.offset;
    const other = docs.get(plan.otherId);
    if (plan.merge && other) for (const [k, v] of Object.entries(other.offsets)) offsets[k] = Math.max(offsets[k] ?? -1, v);
    const before = doc?.sealed ? snapshotOf(this.sealing.openProfile(key, customerId, doc.sealed), this.config.rules) : undefined;
    // Versions only grow, whatever a rebuild counts.
    state.version = Math.max(state.version, (doc?.version ?? 0) + 1);
    const after = snapshotOf(state, this.config.rules);
    const changed = changedFields(before, after);
    const announcement = announceProfile(state, after.features, changed.length ? changed : ['mergedFrom'], item.envelope);
    return {
      customerId,
      doc,
      next: { ...activeProfileDoc(this.sealing, state, offsets, key, announcement), mergedFrom: state.mergedFrom },
      announcement,
      index: lookupKeyChange(before?.state, state, this.blindIndex),
      due: { customerId, version: state.version, dueAt: nextWindowChange(state, this.config.rules, this.config.PROFILE_ROLL_DUE_CHECKS) },
    };
  }

  /** The merged customer becomes a pointer: no copy of the person stays under its id. */
  private pointer(item: ProfileRecord, plan: RebuildPlan, doc: ProfileDoc | undefined, mergedFrom: string[], key: Buffer): Write {
    const version = (doc?.version ?? 0) + 1;
    const announcement = announceProfile({ ...emptyProfile(plan.otherId), version, asOf: item.envelope.occurredAt }, emptyFeatures(), ['status', 'mergedInto'], item.envelope, 'MERGED', plan.survivorId);
    return {
      customerId: plan.otherId,
      doc,
      next: { _id: plan.otherId, status: 'MERGED', mergedInto: plan.survivorId, version, offsets: doc?.offsets ?? {}, mergedFrom, outbox: this.sealing.sealOutbox(key, plan.otherId, announcement.envelope) },
      announcement,
      due: { customerId: plan.otherId, version },
    };
  }
}
