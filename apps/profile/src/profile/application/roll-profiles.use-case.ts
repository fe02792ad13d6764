import { Injectable } from '@nestjs/common';
import { TOPICS } from '@meridian/events';
import { EventPublisher, OutgoingEvent } from '@meridian/events/kafka';
import { Clock, KeyedMutex, PartitionedSweep } from '@meridian/shared';
import { ProfileConfig } from '../../config/profile.config';
import { activeProfileDoc } from './active-profile-doc';
import { noteAnnouncedVersions } from './announced-versions';
import { DataKeys } from './ports/data-keys.port';
import { DueEntry, ProfileDueIndex } from './ports/profile-due-index.port';
import { ProfileSealer } from './ports/profile-sealer.port';
import { ProfileDoc, ProfileStore } from './ports/profile-store.port';
import { RollDoc, RollLock, RollMetrics, RollProgress, RollRecords } from './ports/roll-records.port';
import { ProfileEraser } from './profile-eraser';
import { isRollAnnouncement, rollCustomer } from './roll-customer';

const MAX_WRITE_ATTEMPTS = 6;

/** What the roll did to one due customer. */
interface Rolled {
  customerId: string;
  written: boolean;
  announce: OutgoingEvent[];
  due: DueEntry;
}

/**
 * The profile's day roll (issue 10, point 5): re-announces ProfileUpdated for every
 * customer whose windowed figures changed by `asOf`, reading only the due index — a
 * partition at a time, `PROFILE_ROLL_BATCH` customers at a time, each profile by `_id` —
 * never the whole base. A changed profile is written as the fold writes it (sealed, the
 * announcement in its embedded outbox, version + 1 checked against the stored one, an
 * eventId from customer and version), then published, then erasures decided meanwhile are
 * reasserted (ADR 0007), then the due index set. One roll at a time across instances (a
 * lease renewed each step); each partition checkpointed, so a killed roll resumes at its
 * first partition not done, where a profile it wrote but did not announce is announced
 * again from its outbox (same eventId).
 */
@Injectable()
export class RollProfilesUseCase {
  private readonly sweep: PartitionedSweep<RollProgress>;

  constructor(
    records: RollRecords,
    lock: RollLock,
    private readonly dueIndex: ProfileDueIndex,
    private readonly profiles: ProfileStore,
    private readonly keys: DataKeys,
    private readonly sealing: ProfileSealer,
    private readonly publisher: EventPublisher,
    private readonly eraser: ProfileEraser,
    private readonly locks: KeyedMutex,
    metrics: RollMetrics,
    private readonly config: ProfileConfig,
    clock: Clock,
  ) {
    this.sweep = new PartitionedSweep<RollProgress>({
      name: 'day roll',
      checkpoints: records,
      lease: lock,
      partitions: dueIndex.partitions,
      leaseMs: config.PROFILE_ROLL_LOCK_SECONDS * 1_000,
      now: () => clock.now(),
      due: (partition, asOf) => dueIndex.due(partition, asOf, config.PROFILE_ROLL_BATCH),
      step: (ids, asOf) => this.rollStep(ids, asOf),
      zero: () => ({ read: 0, rolled: 0, published: 0 }),
      onStep: (added) => metrics.stepDone(added),
      onPartitions: (done, of) => metrics.partitionsDone(done, of),
    });
  }

  /** Takes the lock and rolls in the background (unfinished rolls first); 409 while another roll runs. */
  start(asOf: string): Promise<RollDoc> {
    return this.sweep.start(asOf);
  }

  /** The scheduler's occurrence: unfinished rolls, then one at the clock's instant; skipped while another instance rolls. */
  runScheduled(): Promise<void> {
    return this.sweep.runScheduled();
  }

  /** At start: a roll a crash left unfinished goes on, once the dead holder's lease ran out. */
  resumeUnfinished(stopping: () => boolean): Promise<void> {
    return this.sweep.resumeUnfinished(stopping);
  }

  progress(rollId: string): Promise<RollDoc | undefined> {
    return this.sweep.progress(rollId);
  }

  /** One step: every due customer rolled, then published, erasures reasserted, and the due index set (each one leaves the due set). */
  private async rollStep(ids: string[], asOf: string): Promise<RollProgress> {
    const docs = await this.profiles.load(ids);
    const rolled: Rolled[] = [];
    for (const id of ids) rolled.push(await this.locks.run(id, () => this.rollOne(id, docs.get(id), asOf)));
    const announcements = rolled.flatMap((r) => r.announce);
    const announced = new Map<string, number>();
    noteAnnouncedVersions(announced, announcements);
    try {
      await this.publisher.publishAll(announcements);
    } finally {
      // ADR 0007 (erasure on the owner of the customer): an erasure decided while the roll wrote is done again, above what it announced.
      await this.eraser.reassert([...announced.keys()], announced);
    }
    await this.dueIndex.schedule(rolled.map((r) => r.due));
    return { read: ids.length, rolled: rolled.filter((r) => r.written).length, published: announcements.length };
  }

  /** Rolls one profile, retrying from the database when another writer came first. */
  private async rollOne(customerId: string, loaded: ProfileDoc | undefined, asOf: string): Promise<Rolled> {
    let doc = loaded ?? (await this.profiles.loadFresh(customerId)) ?? undefined;
    for (let attempt = 1; ; attempt++) {
      const idle = (due: DueEntry): Rolled => ({ customerId, written: false, announce: [], due });
      if (!doc) return idle({ customerId });
      // Merged into another, erased (or being erased: its key shredded): never rolled, never resurrected; due no more.
      if (doc.status !== 'ACTIVE' || !doc.sealed) return idle({ customerId, version: doc.version });
      const key = await this.keys.keyOf(customerId);
      if (!key) return idle({ customerId, version: doc.version });
      const state = this.sealing.openProfile(key, customerId, doc.sealed);
      const result = rollCustomer(state, asOf, this.config.rules, this.config.PROFILE_ROLL_DUE_CHECKS);
      if (!result.next || !result.announcement) return { ...idle({ customerId, version: doc.version, dueAt: result.dueAt }), announce: this.leftOver(doc, key, asOf) };
      const next: ProfileDoc = { ...activeProfileDoc(this.sealing, result.next, doc.offsets, key, result.announcement), ...(doc.mergedFrom && { mergedFrom: doc.mergedFrom }) };
      if (await this.profiles.save(next, doc.version)) return { customerId, written: true, announce: [result.announcement], due: { customerId, version: next.version, dueAt: result.dueAt } };
      if (attempt >= MAX_WRITE_ATTEMPTS) throw new Error(`profile ${customerId}: ${attempt} concurrent writes in a row`);
      doc = (await this.profiles.loadFresh(customerId)) ?? undefined;
    }
  }

  /** The announcement this roll stored and may not have sent (a killed roll resumed): the same event again. */
  private leftOver(doc: ProfileDoc, key: Buffer, asOf: string): OutgoingEvent[] {
    if (!doc.outbox) return [];
    const envelope = this.sealing.openOutbox(key, doc._id, doc.outbox);
    return isRollAnnouncement(envelope, asOf, doc.version) ? [{ topic: TOPICS.profile, envelope }] : [];
  }
}
