import { Injectable } from '@nestjs/common';
import { TOPICS } from '@meridian/events';
import { BatchOutcome, EventPublisher, OutgoingEvent } from '@meridian/events/kafka';
import { BlindIndex, Clock, KeyedMutex } from '@meridian/shared';
import { ProfileConfig } from '../../config/profile.config';
import { FOLDED_TYPES, foldEvent } from '../domain/fold-event';
import { mergeChainEnd } from '../domain/merge-chain-end';
import { nextWindowChange } from '../domain/next-window-change';
import { holdsEventsOf } from '../domain/merge-membership';
import { changedFields, snapshotOf } from '../domain/profile-snapshot';
import { ProfileState, emptyProfile } from '../domain/profile-state';
import { ProfileSealer } from './ports/profile-sealer.port';
import { activeProfileDoc } from './active-profile-doc';
import { noteAnnouncedVersions } from './announced-versions';
import { lookupKeyChange, piiKeysOf } from './pii-keys';
import { DataKeys } from './ports/data-keys.port';
import { PiiIndex } from './ports/pii-index.port';
import { DueEntry, ProfileDueIndex } from './ports/profile-due-index.port';
import { ProfileEventDoc, ProfileEventLog } from './ports/profile-event-log.port';
import { ProfileDoc, ProfileStore } from './ports/profile-store.port';
import { announceProfile } from './profile-announcement';
import { ProfileRecord, requireKey, toProfileEvent } from './profile-record';
import { ProfileEraser } from './profile-eraser';

const MAX_WRITE_ATTEMPTS = 6;

interface FoldResult {
  folded: Set<ProfileRecord>;
  announcement?: OutgoingEvent;
  previousOutbox?: string;
  /** The database holds the profile MERGED (the route came from a stale cache): nothing folded, the events go on from here. */
  merged?: true;
  /** When the written (or redelivered) profile's windowed figures next change: the day roll's due index. */
  due?: DueEntry;
}

/** The customers a run may have written (keys, log, timeline, profile, look-ups) and the highest version it announced for each. */
interface RunWrites {
  customerIds: Set<string>;
  announced: Map<string, number>;
}

/**
 * Folds a run's profile events (ADR 0007): every event is logged (sealed) under its
 * eventId, folded into its customer's profile — or the survivor's, when the customer was
 * merged — and the profile written with the offsets it has folded and the ProfileUpdated
 * that announces the change, in one document write. A crash anywhere is repaired by the
 * redelivery: a record logged at the same offset but beyond the profile's offsets is
 * folded again, one at or below them only re-announced; an eventId logged from another
 * record (a republish) is a duplicate. Concurrent writers meet at the version: the loser
 * re-reads from the database and refolds.
 */
@Injectable()
export class FoldProfileEventsUseCase {
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

  /** The outcome of each record, by its position in the run. */
  async execute(items: readonly ProfileRecord[]): Promise<Map<number, BatchOutcome>> {
    const writes: RunWrites = { customerIds: new Set(), announced: new Map() };
    try {
      return await this.foldRun(items, writes);
    } finally {
      // ADR 0007 (erasure on the owner of the customer): after the run's last write and announcement — even
      // when it failed half-way — an erasure decided meanwhile, on any instance, is done again.
      await this.eraser.reassert([...writes.customerIds], writes.announced);
    }
  }

  private async foldRun(items: readonly ProfileRecord[], writes: RunWrites): Promise<Map<number, BatchOutcome>> {
    const outcomes = new Map<number, BatchOutcome>();
    const { target, docs } = await this.targets([...new Set(items.map((i) => i.customerId))]);
    const routeOf = (customerId: string) => target.get(customerId) ?? customerId;
    // Events of an erased customer leave no trace (PIPL): nothing logged, nothing folded.
    const live = items.filter((i) => docs.get(routeOf(i.customerId))?.status !== 'ERASED');
    const written = [...new Set(live.flatMap((i) => [i.customerId, routeOf(i.customerId)]))];
    for (const id of written) writes.customerIds.add(id);
    const keys = await this.keys.keysFor(written, this.clock.now());

    const logDocs: ProfileEventDoc[] = live.map((i) => ({
      _id: i.envelope.eventId,
      customerId: i.customerId,
      type: i.envelope.type,
      occurredAt: i.envelope.occurredAt,
      source: i.source,
      offset: String(i.offset),
      sealed: this.sealing.sealEvent(requireKey(keys, i.customerId), i.customerId, i.envelope.eventId, i.envelope.payload),
    }));
    const already = await this.eventLog.logEvents(logDocs);
    const seenBefore = await this.eventLog.logged([...already].map((k) => logDocs[k]._id));
    const seenById = new Map(seenBefore.filter((d): d is ProfileEventDoc => !!d).map((d) => [d._id, d]));

    const byTarget = new Map<string, ProfileRecord[]>();
    live.forEach((item, k) => {
      if (already.has(k)) {
        const first = seenById.get(item.envelope.eventId);
        // Logged from another record: a republished duplicate, already folded where it was first read.
        if (first && (first.source !== item.source || first.offset !== String(item.offset))) {
          outcomes.set(item.index, { status: 'duplicate' });
          return;
        }
      }
      const t = routeOf(item.customerId);
      byTarget.set(t, [...(byTarget.get(t) ?? []), item]);
    });
    for (const item of items) if (!live.includes(item)) outcomes.set(item.index, { status: 'skipped' });

    const announcements: OutgoingEvent[] = [];
    const dues: DueEntry[] = [];
    for (const [routed, list] of byTarget) {
      const { customerId, key, result } = await this.foldRouted(routed, list, docs.get(routed), keys, writes);
      for (const item of list) outcomes.set(item.index, { status: result.folded.has(item) ? 'applied' : 'duplicate' });
      // A redelivery (some of the run was folded before): the crash may have come between the write and
      // the announcement, so the stored one goes again (same eventId: consumers drop it if they had it),
      // before whatever the new events announce.
      if (result.previousOutbox) announcements.push({ topic: TOPICS.profile, envelope: this.sealing.openOutbox(key, customerId, result.previousOutbox) });
      if (result.announcement) announcements.push(result.announcement);
      if (result.due) dues.push(result.due);
    }
    noteAnnouncedVersions(writes.announced, announcements);
    await this.publisher.publishAll(announcements);
    // After the write (a crash before this is repaired by the redelivery, which sets it again): the day roll finds the profile when time moves its figures.
    await this.dueIndex.schedule(dues);
    return outcomes;
  }

  /** The profile a customer's events go to: itself, or the survivor it was merged into (routing may read the cache). */
  private async targets(customerIds: readonly string[]): Promise<{ target: Map<string, string>; docs: Map<string, ProfileDoc> }> {
    const docs = await this.profiles.load(customerIds);
    const target = new Map<string, string>();
    const read = async (id: string) => {
      if (!docs.has(id)) for (const [k, v] of await this.profiles.load([id])) docs.set(k, v);
      return docs.get(id);
    };
    for (const id of customerIds) target.set(id, (await mergeChainEnd(id, read)).id);
    return { target, docs };
  }

  /**
   * Folds into the routed profile. The route may come from the cache (targets()); when the
   * database holds that profile MERGED — its pointer's cache write failed — the chain is
   * followed from the database and the events folded where it ends, instead of failing every
   * retry on the same stale route (and dead-lettering the records).
   */
  private async foldRouted(routed: string, list: ProfileRecord[], loaded: ProfileDoc | undefined, keys: Map<string, Buffer>, writes: RunWrites): Promise<{ customerId: string; key: Buffer; result: FoldResult }> {
    // One writer per profile in this process (runs of its topics are consumed concurrently); across
    // instances the co-partitioned assignment gives each customer one consumer.
    const result = await this.locks.run(routed, () => this.foldInto(routed, list, loaded, requireKey(keys, routed)));
    if (!result.merged) return { customerId: routed, key: requireKey(keys, routed), result };
    const end = await mergeChainEnd(routed, async (id) => (await this.profiles.loadFresh(id)) ?? undefined);
    if (!end.complete || end.id === routed) throw new Error(`profile ${routed} is merged, but its chain does not end (from the database); retrying the run`);
    writes.customerIds.add(end.id);
    const key = requireKey(await this.keys.keysFor([end.id], this.clock.now()), end.id);
    const moved = await this.locks.run(end.id, async () => this.foldInto(end.id, list, (await this.profiles.loadFresh(end.id)) ?? undefined, key));
    if (moved.merged) throw new Error(`profile ${end.id} was merged meanwhile; retrying the run`);
    return { customerId: end.id, key, result: moved };
  }

  private dueOf(state: ProfileState): DueEntry {
    return { customerId: state.customerId, version: state.version, dueAt: nextWindowChange(state, this.config.rules, this.config.PROFILE_ROLL_DUE_CHECKS) };
  }

  /** Folds a customer's new events and writes the profile, retrying from the database on a concurrent write. */
  private async foldInto(customerId: string, items: ProfileRecord[], loaded: ProfileDoc | undefined, key: Buffer): Promise<FoldResult> {
    // What was loaded before the lock was taken may be stale: the version check then sends us to the database.
    let doc = loaded;
    for (let attempt = 1; ; attempt++) {
      // Erased or merged since the run looked (another run held the lock), or routed here by a stale cache:
      // nothing to resurrect; a merge is followed from the database (foldRouted).
      if (doc?.status === 'ERASED') return { folded: new Set() };
      if (doc?.status === 'MERGED') return { folded: new Set(), merged: true };
      // Events routed here from a merged customer: still merged into this one? (An unmerge may have come in between.)
      const stray = items.find((i) => !holdsEventsOf({ id: customerId, mergedFrom: doc?.mergedFrom }, i.customerId));
      if (stray) throw new Error(`profile ${customerId} no longer holds ${stray.customerId}; retrying the run`);
      const state = doc?.sealed ? this.sealing.openProfile(key, customerId, doc.sealed) : emptyProfile(customerId);
      const before = doc?.sealed ? snapshotOf(structuredClone(state), this.config.rules) : undefined;
      const offsets = { ...(doc?.offsets ?? {}) };
      const folded = new Set<ProfileRecord>();
      let last: ProfileRecord | undefined;
      let redelivered = false;
      for (const item of items) {
        if ((offsets[item.source] ?? -1) >= item.offset) {
          redelivered = true; // folded before a crash; the write stood
          continue;
        }
        offsets[item.source] = item.offset;
        if (FOLDED_TYPES.has(item.envelope.type)) foldEvent(state, toProfileEvent(item.envelope), this.config.rules);
        folded.add(item);
        last = item;
      }
      const previousOutbox = redelivered ? doc?.outbox : undefined;
      // A crash may also have come between the write and the look-up keys: they are put again (idempotent).
      if (!folded.size) {
        if (redelivered) await this.piiIndex.indexPii(customerId, piiKeysOf(state, this.blindIndex), []);
        return { folded, previousOutbox, ...(redelivered && { due: this.dueOf(state) }) };
      }
      const after = snapshotOf(state, this.config.rules);
      const changed = changedFields(before, after);
      const announcement = changed.length && last ? announceProfile(state, after.features, changed, last.envelope) : undefined;
      const next: ProfileDoc = {
        ...activeProfileDoc(this.sealing, state, offsets, key, announcement),
        ...(!announcement && doc?.outbox && { outbox: doc.outbox }),
        ...(doc?.mergedFrom && { mergedFrom: doc.mergedFrom }),
      };
      if (await this.profiles.save(next, doc?.version)) {
        if (!before || redelivered || changed.some((c) => c === 'identity.idNumber' || c === 'identity.phone' || c === 'identity.idType')) {
          const { keys: now, forget } = lookupKeyChange(before?.state, state, this.blindIndex);
          await this.piiIndex.indexPii(customerId, now, forget);
        }
        return { folded, announcement, previousOutbox, due: this.dueOf(state) };
      }
      if (attempt >= MAX_WRITE_ATTEMPTS) throw new Error(`profile ${customerId}: ${attempt} concurrent writes in a row`);
      doc = (await this.profiles.loadFresh(customerId)) ?? undefined;
    }
  }
}
