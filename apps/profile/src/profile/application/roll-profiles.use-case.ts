import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictException, Injectable, Logger } from '@nestjs/common';
import { TOPICS } from '@meridian/events';
import { EventPublisher, OutgoingEvent } from '@meridian/events/kafka';
import { Clock, KeyedMutex } from '@meridian/shared';
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
  private readonly logger = new Logger('DayRoll');

  constructor(
    private readonly records: RollRecords,
    private readonly lock: RollLock,
    private readonly dueIndex: ProfileDueIndex,
    private readonly profiles: ProfileStore,
    private readonly keys: DataKeys,
    private readonly sealing: ProfileSealer,
    private readonly publisher: EventPublisher,
    private readonly eraser: ProfileEraser,
    private readonly locks: KeyedMutex,
    private readonly metrics: RollMetrics,
    private readonly config: ProfileConfig,
    private readonly clock: Clock,
  ) {}

  /** Takes the lock and rolls in the background (unfinished rolls first); 409 while another roll runs. */
  async start(asOf: string): Promise<RollDoc> {
    const token = await this.lock.acquire();
    if (!token) throw new ConflictException({ title: 'a day roll is running', detail: 'one roll at a time: try again when it has finished (GET /v1/sweeps/{id} shows its progress)' });
    try {
      const roll = await this.records.begin(new Date(asOf).toISOString(), this.dueIndex.partitions, this.clock.now().toISOString());
      void this.rollAll(token).catch((error: Error) => this.logger.error(`roll ${roll._id} stopped (it resumes on the next start or roll): ${error.message}`));
      return roll;
    } catch (error) {
      await this.lock.release(token);
      throw error;
    }
  }

  /** The scheduler's occurrence: unfinished rolls, then one at the clock's instant; skipped while another instance rolls. */
  async runScheduled(): Promise<void> {
    const token = await this.lock.acquire();
    if (!token) return;
    try {
      await this.records.begin(this.clock.now().toISOString(), this.dueIndex.partitions, this.clock.now().toISOString());
    } catch (error) {
      await this.lock.release(token);
      throw error;
    }
    await this.rollAll(token);
  }

  /** At start: a roll a crash left unfinished goes on, once the dead holder's lease ran out (or its holder finished it). */
  async resumeUnfinished(stopping: () => boolean): Promise<void> {
    const pause = (this.config.PROFILE_ROLL_LOCK_SECONDS * 1_000) / 4;
    for (let attempt = 1; !stopping(); attempt++) {
      try {
        if (!(await this.records.unfinished()).length) return;
        const token = await this.lock.acquire();
        if (token) return await this.rollAll(token);
      } catch (error) {
        // MongoDB or Redis not there yet (the service starts before them) or gone a while: try again.
        if (attempt > 1) this.logger.warn(`unfinished rolls wait (${(error as Error).message}); trying again in ${pause} ms`);
      }
      await sleep(pause);
    }
  }

  progress(rollId: string): Promise<RollDoc | undefined> {
    return this.records.get(rollId);
  }

  /** Every unfinished roll, oldest first, then the lock goes. */
  private async rollAll(token: string): Promise<void> {
    try {
      for (const roll of await this.records.unfinished()) await this.roll(roll, token);
    } finally {
      await this.lock.release(token);
    }
  }

  private async roll(roll: RollDoc, token: string): Promise<void> {
    const done = new Set(roll.partitionsDone);
    this.logger.log(`roll ${roll._id}: ${roll.partitions - done.size} of ${roll.partitions} partitions to go`);
    for (let partition = 0; partition < roll.partitions; partition++) {
      if (done.has(partition)) continue;
      const added: RollProgress = { read: 0, rolled: 0, published: 0 };
      for (;;) {
        const ids = await this.dueIndex.due(partition, roll.asOf, this.config.PROFILE_ROLL_BATCH);
        if (!ids.length) break;
        const step = await this.rollStep(ids, roll.asOf);
        added.read += step.read;
        added.rolled += step.rolled;
        added.published += step.published;
        this.metrics.stepDone(step);
        if (!(await this.lock.renew(token))) throw new Error('the roll lock lapsed (another instance holds it now)');
      }
      await this.records.partitionDone(roll._id, partition, added);
      done.add(partition);
      this.metrics.partitionsDone(done.size, roll.partitions);
      this.logger.log(`roll ${roll._id}: partition ${partition} done (${added.read} due, ${added.rolled} rolled, ${added.published} announced); ${done.size}/${roll.partitions}`);
    }
    await this.records.finish(roll._id, this.clock.now().toISOString());
    this.logger.log(`roll ${roll._id} finished`);
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
