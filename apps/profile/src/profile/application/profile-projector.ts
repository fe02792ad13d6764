import { Injectable, Logger } from '@nestjs/common';
import { CustomerErased, EnvelopeInit, EventEnvelope, IdentityMerged, IdentityUnmerged, ProfileUpdated, TOPICS } from '@meridian/events';
import { BatchOutcome, BatchRecord, EventPublisher, OutgoingEvent, newEnvelope } from '@meridian/events/kafka';
import { BlindIndex, KeyedMutex } from '@meridian/shared';
import { ProfileConfig } from '../../config/profile.config';
import { FOLDED_TYPES, ProfileEvent, foldEvent } from '../domain/fold-event';
import { profileFigures } from '../domain/profile-features';
import { changedFields, emptyFeatures, featuresOf } from '../domain/profile-snapshot';
import { piiKeysOf } from './pii-keys';
import { ProfileState, emptyProfile } from '../domain/profile-state';
import { DataKeyStore } from '../infrastructure/data-key.store';
import { ProfileDoc, ProfileEventDoc, ProfileRepository, offsetKey } from '../infrastructure/profile.repository';
import { ProfileSealing } from '../infrastructure/profile-sealing';
import { ProfileEraser } from './profile-eraser';

/** Ticket events the timeline shows; only SatisfactionRecorded changes the profile. */
const TIMELINE_ONLY = new Set(['TicketOpened', 'TicketAssigned', 'TicketEscalated', 'TicketResolved', 'TicketClosed']);
const GOVERNANCE = new Set(['IdentityMerged', 'IdentityUnmerged', 'CustomerErased']);
const MAX_WRITE_ATTEMPTS = 6;
const MAX_MERGE_CHAIN = 10;

interface Item {
  index: number;
  record: BatchRecord;
  envelope: EventEnvelope;
  /** The customer the event is stamped with (crm topics always carry one; checked on arrival). */
  customerId: string;
  source: string;
  offset: number;
}

/**
 * Materialises profiles from the canonical topics (issue 4), a Kafka run at a time:
 * every event is logged (sealed) under its eventId, folded into its customer's profile,
 * and the profile written with the offsets it has folded and the ProfileUpdated that
 * announces the change — one document write, so a crash anywhere is repaired by the
 * redelivery: a record logged at the same offset but beyond the profile's offsets is
 * folded again, one at or below them only re-announced; an eventId logged from another
 * record (a republish) is a duplicate. Concurrent writers to one profile (its topics may
 * be consumed by different instances) meet at the version: the loser re-reads and refolds.
 */
@Injectable()
export class ProfileProjector {
  private readonly logger = new Logger(ProfileProjector.name);

  constructor(
    private readonly repository: ProfileRepository,
    private readonly keys: DataKeyStore,
    private readonly sealing: ProfileSealing,
    private readonly blindIndex: BlindIndex,
    private readonly publisher: EventPublisher,
    private readonly config: ProfileConfig,
    private readonly eraser: ProfileEraser,
    private readonly locks: KeyedMutex,
  ) {}

  async apply(records: readonly BatchRecord[]): Promise<BatchOutcome[]> {
    const outcomes: BatchOutcome[] = records.map(() => ({ status: 'skipped' }));
    const folds: Item[] = [];
    const governance: Item[] = [];
    records.forEach((record, index) => {
      if (!record.decoded.ok) {
        outcomes[index] = { status: 'rejected', reason: { code: record.decoded.code, message: record.decoded.message } };
        return;
      }
      const envelope = record.decoded.envelope;
      const item: Item = { index, record, envelope, customerId: envelope.customerId ?? '', source: offsetKey(record.context.topic, record.context.partition), offset: Number(record.context.offset) };
      if (FOLDED_TYPES.has(envelope.type) || TIMELINE_ONLY.has(envelope.type)) {
        if (!envelope.customerId) outcomes[index] = { status: 'rejected', reason: { code: 'REJECTED', message: `${envelope.type} on a crm topic must carry customerId`, field: 'customerId', rule: 'isDefined' } };
        else folds.push(item);
      } else if (GOVERNANCE.has(envelope.type)) governance.push(item);
    });
    if (folds.length) await this.applyFolds(folds, outcomes);
    for (const item of governance) outcomes[item.index] = await this.applyGovernance(item);
    return outcomes;
  }

  /** The profile a customer's events go to: itself, or the survivor it was merged into. */
  private async targets(customerIds: readonly string[]): Promise<{ target: Map<string, string>; docs: Map<string, ProfileDoc> }> {
    const docs = await this.repository.load(customerIds);
    const target = new Map<string, string>();
    const read = async (id: string) => {
      if (!docs.has(id)) for (const [k, v] of await this.repository.load([id])) docs.set(k, v);
      return docs.get(id);
    };
    for (const id of customerIds) target.set(id, (await chainEnd(id, read)).id);
    return { target, docs };
  }

  private async applyFolds(items: Item[], outcomes: BatchOutcome[]): Promise<void> {
    const { target, docs } = await this.targets([...new Set(items.map((i) => i.customerId))]);
    // Events of an erased customer leave no trace (PIPL): nothing logged, nothing folded.
    const live = items.filter((i) => docs.get(routeOf(target, i.customerId))?.status !== 'ERASED');
    const at = new Date();
    const keys = await this.keys.keysFor([...new Set(live.flatMap((i) => [i.customerId, routeOf(target, i.customerId)]))], at);

    const logDocs: ProfileEventDoc[] = live.map((i) => ({
      _id: i.envelope.eventId,
      customerId: i.customerId,
      type: i.envelope.type,
      occurredAt: i.envelope.occurredAt,
      source: i.source,
      offset: String(i.offset),
      sealed: this.sealing.sealEvent(keyOf(keys, i.customerId), i.customerId, i.envelope.eventId, i.envelope.payload),
    }));
    const already = await this.repository.logEvents(logDocs);
    const seenBefore = await this.repository.logged([...already].map((k) => logDocs[k]._id));
    const seenById = new Map(seenBefore.filter((d): d is ProfileEventDoc => !!d).map((d) => [d._id, d]));

    const byTarget = new Map<string, Item[]>();
    live.forEach((item, k) => {
      const t = routeOf(target, item.customerId);
      if (already.has(k)) {
        const first = seenById.get(item.envelope.eventId);
        // Logged from another record: a republished duplicate, already folded where it was first read.
        if (first && (first.source !== item.source || first.offset !== String(item.offset))) {
          outcomes[item.index] = { status: 'duplicate' };
          return;
        }
      }
      byTarget.set(t, [...(byTarget.get(t) ?? []), item]);
    });
    for (const item of items) if (!live.includes(item)) outcomes[item.index] = { status: 'skipped' };

    const announcements: OutgoingEvent[] = [];
    for (const [customerId, list] of byTarget) {
      // One writer per profile in this process (runs of its topics are consumed concurrently); across
      // instances the co-partitioned assignment gives each customer one consumer.
      const result = await this.locks.run(customerId, () => this.foldInto(customerId, list, docs.get(customerId), keyOf(keys, customerId)));
      for (const item of list) outcomes[item.index] = { status: result.folded.has(item) ? 'applied' : 'duplicate' };
      // A redelivery (some of the run was folded before): the crash may have come between the write and
      // the announcement, so the stored one goes again (same eventId: consumers drop it if they had it),
      // before whatever the new events announce.
      if (result.previousOutbox) announcements.push({ topic: TOPICS.profile, envelope: this.sealing.openOutbox(keyOf(keys, customerId), customerId, result.previousOutbox) });
      if (result.announcement) announcements.push(result.announcement);
    }
    await this.publisher.publishAll(announcements);
  }

  /** Folds a customer's new events and writes the profile, retrying on a concurrent write. */
  private async foldInto(customerId: string, items: Item[], loaded: ProfileDoc | undefined, key: Buffer): Promise<{ folded: Set<Item>; announcement?: OutgoingEvent; erased?: boolean; previousOutbox?: string }> {
    // What was loaded before the lock was taken may be stale: the version check then sends us to MongoDB.
    let doc = loaded;
    for (let attempt = 1; ; attempt++) {
      // Erased or merged since the run looked (another run held the lock): nothing to resurrect; the merge is re-routed by a retry.
      if (doc?.status === 'ERASED') return { folded: new Set(), erased: true };
      if (doc?.status === 'MERGED') throw new Error(`profile ${customerId} was merged into ${doc.mergedInto} meanwhile; retrying the run`);
      // Events routed here from a merged customer: still merged into this one? (An unmerge may have come in between.)
      const strays = items.filter((i) => i.customerId !== customerId && !(doc?.mergedFrom ?? []).includes(i.customerId));
      if (strays.length) throw new Error(`profile ${customerId} no longer holds ${strays[0].customerId}; retrying the run`);
      const state = doc?.sealed ? this.sealing.openProfile(key, customerId, doc.sealed) : emptyProfile(customerId);
      const before = doc?.sealed ? { state: structuredClone(state), features: featuresOf(state, profileFigures(state, this.config.rules)) } : undefined;
      const offsets = { ...(doc?.offsets ?? {}) };
      const folded = new Set<Item>();
      let last: Item | undefined;
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
        if (redelivered) await this.repository.indexPii(customerId, piiKeysOf(state, this.blindIndex), []);
        return { folded, previousOutbox };
      }
      const features = featuresOf(state, profileFigures(state, this.config.rules));
      const changed = changedFields(before, { state, features });
      const announcement = changed.length && last ? this.announce(state, features, changed, last.envelope) : undefined;
      const next: ProfileDoc = {
        ...this.activeDoc(state, offsets, key, announcement),
        ...(!announcement && doc?.outbox && { outbox: doc.outbox }),
        ...(doc?.mergedFrom && { mergedFrom: doc.mergedFrom }),
      };
      if (await this.repository.save(next, doc?.version)) {
        if (before && changed.some((c) => c === 'identity.idNumber' || c === 'identity.phone' || c === 'identity.idType')) {
          const old = piiKeysOf(before.state, this.blindIndex);
          const now = piiKeysOf(state, this.blindIndex);
          await this.repository.indexPii(customerId, now, old.filter((k) => !now.includes(k)));
        } else if (!before || redelivered) await this.repository.indexPii(customerId, piiKeysOf(state, this.blindIndex), []);
        return { folded, announcement, previousOutbox };
      }
      if (attempt >= MAX_WRITE_ATTEMPTS) throw new Error(`profile ${customerId}: ${attempt} concurrent writes in a row`);
      doc = (await this.repository.loadFresh(customerId)) ?? undefined;
    }
  }

  /** The stored form of a live profile: sealed state, what routing and scope need in clear, the sealed announcement. */
  private activeDoc(state: ProfileState, offsets: Record<string, number>, key: Buffer, announcement?: OutgoingEvent): ProfileDoc {
    return {
      _id: state.customerId,
      status: 'ACTIVE',
      version: state.version,
      ...(state.asOf && { asOf: state.asOf }),
      ...(state.identity?.branchId && { branchId: state.identity.branchId }),
      ...(state.identity?.rmId && { rmId: state.identity.rmId }),
      offsets,
      sealed: this.sealing.sealProfile(key, state),
      ...(announcement && { outbox: this.sealing.sealOutbox(key, state.customerId, announcement.envelope) }),
    };
  }

  private announce(state: ProfileState, features: ProfileUpdated['features'], changed: string[], cause: EventEnvelope, status?: ProfileUpdated['status'], mergedInto?: string): OutgoingEvent {
    const payload: ProfileUpdated = { customerId: state.customerId, version: state.version, changedFields: changed, features, ...(status && { status }), ...(mergedInto && { mergedInto }) };
    const envelope: EnvelopeInit<ProfileUpdated> = newEnvelope('ProfileUpdated', payload, {
      eventId: `profile-${state.customerId}-${state.version}-${status ?? 'ACTIVE'}`,
      source: 'meridian-profile',
      customerId: state.customerId,
      occurredAt: state.asOf ?? cause.occurredAt,
      causationId: cause.eventId,
      correlationId: cause.correlationId ?? cause.eventId,
    });
    return { topic: TOPICS.profile, envelope };
  }

  // ---------------------------------------------------------------- merges and splits

  private async applyGovernance(item: Item): Promise<BatchOutcome> {
    const e = item.envelope;
    if (e.type === 'CustomerErased') {
      // Erased by another instance, or a replay into an empty database: the same erasure, once.
      const c = e.payload as CustomerErased;
      this.keys.forget([c.customerId]);
      await this.locks.run(c.customerId, async () => {
        const doc = await this.repository.loadFresh(c.customerId);
        await this.eraser.erase(doc ?? undefined, c.customerId, c.erasedBy, e.occurredAt, c.reason, false);
      });
      return { status: 'applied' };
    }
    if (e.type === 'IdentityMerged') {
      const m = e.payload as IdentityMerged;
      // Merges of one chain can arrive out of order (M→S keyed S, S→T keyed T, on different
      // partitions): M then goes where S went, never into a resurrected S.
      const survivorId = await this.finalSurvivor(m.survivorId);
      if (survivorId === m.mergedId) {
        this.logger.warn(`IdentityMerged ${e.eventId}: ${m.mergedId} would be merged into itself; skipped`);
        return { status: 'skipped' };
      }
      return this.locks.run([survivorId, m.mergedId], () => this.rebuild(item, [{ customerId: survivorId, absorb: [m.mergedId] }, { customerId: m.mergedId, mergedInto: survivorId }]));
    }
    const u = e.payload as IdentityUnmerged;
    // The survivor may have been merged on since: the restored customer is released from where the chain ends.
    const holder = await this.finalSurvivor(u.survivorId);
    return this.locks.run([holder, u.restoredId], () => this.rebuild(item, [{ customerId: holder, release: [u.restoredId] }, { customerId: u.restoredId, restore: true }]));
  }

  /** Where a customer's merges lead, read straight from MongoDB (governance decides on it). */
  private async finalSurvivor(customerId: string): Promise<string> {
    const end = await chainEnd(customerId, async (id) => (await this.repository.loadFresh(id)) ?? undefined);
    if (!end.complete) throw new Error(`merge chain from ${customerId} is longer than ${MAX_MERGE_CHAIN}`);
    return end.id;
  }

  /**
   * IdentityMerged: the survivor is rebuilt from its own events and those of every
   * customer merged into it (each event belongs to exactly one customer: nothing counted
   * twice), the merged profile becomes a pointer. IdentityUnmerged: both are rebuilt from
   * their own events. Idempotent: the governance event's offset is recorded on the
   * survivor, and the survivor is written last — a rebuild cut short after another write
   * is done again in full, never taken for done.
   */
  private async rebuild(
    item: Item,
    plan: Array<{ customerId: string; absorb?: string[]; release?: string[]; mergedInto?: string; restore?: boolean }>,
  ): Promise<BatchOutcome> {
    const ids = plan.map((p) => p.customerId);
    const docs = await this.repository.load(ids);
    const survivor = docs.get(ids[0]);
    if ((survivor?.offsets[item.source] ?? -1) >= item.offset) {
      // Redelivered: the crash may have come after the writes and before the announcements — they go again.
      const again: OutgoingEvent[] = [];
      for (const id of ids) {
        const doc = docs.get(id);
        const key = doc?.outbox ? await this.keys.keyOf(id) : undefined;
        if (doc?.outbox && key) again.push({ topic: TOPICS.profile, envelope: this.sealing.openOutbox(key, id, doc.outbox) });
      }
      await this.publisher.publishAll(again);
      return { status: 'duplicate' };
    }
    if ([...docs.values()].some((d) => d.status === 'ERASED')) return { status: 'skipped' };
    // Merged elsewhere since finalSurvivor looked: the retry follows the new pointer.
    if (survivor?.status === 'MERGED') throw new Error(`profile ${ids[0]} was merged into ${survivor.mergedInto} meanwhile; retrying`);

    const members = new Map<string, Set<string>>();
    const survivorMembers = new Set([ids[0], ...(survivor?.mergedFrom ?? [])]);
    const other = docs.get(ids[1]);
    const otherMembers = new Set([ids[1], ...(other?.mergedFrom ?? [])]);
    if (plan[0].absorb) {
      for (const m of otherMembers) survivorMembers.add(m);
      members.set(ids[0], survivorMembers);
    } else {
      for (const m of otherMembers) survivorMembers.delete(m);
      members.set(ids[0], survivorMembers);
      members.set(ids[1], otherMembers);
    }
    const at = new Date();
    const everyone = [...new Set([...survivorMembers, ...otherMembers])];
    const keys = await this.keys.keysFor(everyone, at);
    const logged = await this.repository.eventsOf(everyone);
    const announcements: OutgoingEvent[] = [];
    const writes: Array<{ customerId: string; doc: ProfileDoc | undefined; next: ProfileDoc; index?: { keys: string[]; forget: string[] } }> = [];

    for (const [customerId, who] of members) {
      const state = emptyProfile(customerId);
      const events = logged.filter((l) => who.has(l.customerId) && FOLDED_TYPES.has(l.type)).sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || (a._id < b._id ? -1 : 1));
      const doc = docs.get(customerId);
      const offsets = { ...(doc?.offsets ?? {}) };
      for (const l of events) {
        const payload = this.sealing.openEvent(keyOf(keys, l.customerId), l.customerId, l._id, l.sealed);
        foldEvent(state, { eventId: l._id, type: l.type, occurredAt: l.occurredAt, payload }, this.config.rules);
        // Logged by a run still waiting to fold it: it is in now, and must not be folded again.
        offsets[l.source] = Math.max(offsets[l.source] ?? -1, Number(l.offset));
      }
      state.mergedFrom = [...who].filter((m) => m !== customerId).sort();
      if (customerId === ids[0]) offsets[item.source] = item.offset;
      if (plan[0].absorb && other) for (const [k, v] of Object.entries(other.offsets)) offsets[k] = Math.max(offsets[k] ?? -1, v);
      const before = doc?.sealed ? this.sealing.openProfile(keyOf(keys, customerId), customerId, doc.sealed) : undefined;
      // Versions only grow, whatever a rebuild counts.
      state.version = Math.max(state.version, (doc?.version ?? 0) + 1);
      const features = featuresOf(state, profileFigures(state, this.config.rules));
      const beforeFeatures = before ? featuresOf(before, profileFigures(before, this.config.rules)) : undefined;
      const changed = changedFields(before && beforeFeatures ? { state: before, features: beforeFeatures } : undefined, { state, features });
      const announcement = this.announce(state, features, changed.length ? changed : ['mergedFrom'], item.envelope);
      const now = piiKeysOf(state, this.blindIndex);
      writes.push({
        customerId,
        doc,
        next: { ...this.activeDoc(state, offsets, keyOf(keys, customerId), announcement), mergedFrom: state.mergedFrom },
        index: { keys: now, forget: before ? piiKeysOf(before, this.blindIndex).filter((k) => !now.includes(k)) : [] },
      });
      announcements.push(announcement);
    }

    // The merged customer becomes a pointer: no copy of the person stays under its id.
    const merged = plan.find((p) => p.mergedInto);
    if (merged) {
      const doc = docs.get(merged.customerId);
      const version = (doc?.version ?? 0) + 1;
      const pointer = this.announce({ ...emptyProfile(merged.customerId), version, asOf: item.envelope.occurredAt }, emptyFeatures(), ['status', 'mergedInto'], item.envelope, 'MERGED', merged.mergedInto);
      writes.push({
        customerId: merged.customerId,
        doc,
        next: {
          _id: merged.customerId,
          status: 'MERGED',
          mergedInto: merged.mergedInto,
          version,
          offsets: doc?.offsets ?? {},
          mergedFrom: [...otherMembers].filter((m) => m !== merged.customerId).sort(),
          outbox: this.sealing.sealOutbox(keyOf(keys, merged.customerId), merged.customerId, pointer.envelope),
        },
      });
      announcements.push(pointer);
    }
    // The survivor, which records the governance offset, last.
    writes.sort((a, b) => Number(a.customerId === ids[0]) - Number(b.customerId === ids[0]));
    for (const w of writes) {
      await this.writeRebuilt(w.customerId, w.doc, w.next);
      if (w.index) await this.repository.indexPii(w.customerId, w.index.keys, w.index.forget);
    }
    await this.publisher.publishAll(announcements);
    this.logger.log(`${item.envelope.type}: rebuilt ${[...members.keys()].join(', ')} from ${logged.length} logged events`);
    return { status: 'applied' };
  }

  /** A concurrent write lost the race: the run is retried, and the rebuild (idempotent until its offset is recorded) starts over. */
  private async writeRebuilt(customerId: string, doc: ProfileDoc | undefined, next: ProfileDoc): Promise<void> {
    if (!(await this.repository.save(next, doc?.version))) throw new Error(`profile ${customerId} changed during a rebuild; retrying`);
  }
}

/**
 * The end of the chain of MERGED pointers from a customer: itself when it is not merged.
 * `complete` is false when the chain is longer than MAX_MERGE_CHAIN (a pointer back to the
 * start ends it too).
 */
async function chainEnd(customerId: string, read: (id: string) => Promise<ProfileDoc | undefined>): Promise<{ id: string; complete: boolean }> {
  let id = customerId;
  for (let hop = 0; hop < MAX_MERGE_CHAIN; hop++) {
    const doc = await read(id);
    if (doc?.status !== 'MERGED' || !doc.mergedInto || doc.mergedInto === customerId) return { id, complete: true };
    id = doc.mergedInto;
  }
  return { id, complete: false };
}

/** A customer's data key from a map the caller filled; its absence is a bug, not a state. */
function keyOf(keys: ReadonlyMap<string, Buffer>, customerId: string): Buffer {
  const key = keys.get(customerId);
  if (!key) throw new Error(`no data key loaded for ${customerId}`);
  return key;
}

function routeOf(target: ReadonlyMap<string, string>, customerId: string): string {
  return target.get(customerId) ?? customerId;
}

export function toProfileEvent(envelope: EventEnvelope): ProfileEvent {
  return { eventId: envelope.eventId, type: envelope.type, occurredAt: envelope.occurredAt, payload: envelope.payload };
}

