import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { Clock, leaseKeptDuring } from '@meridian/shared';
import { SegmentationConfig } from '../../config/segmentation.config';
import { compileRule } from '@meridian/events/rules';
import { DerivedDataGate } from '../../segments/application/ports/derived-data.port';
import { SegmentDefinitionDoc, SegmentDefinitions } from '../../segments/application/ports/segment-definitions.port';
import { SegmentStateDoc, SegmentStateStore } from '../../segments/application/ports/segment-state-store.port';
import { JudgedWrites } from '../../segments/application/judged-writes';
import { BackfillTarget, Moved, backfillCustomer } from './backfill-customer';
import { BackfillLock, BackfillProgress, SegmentBackfillDoc, SegmentBackfills } from './ports/segment-backfills.port';

/**
 * A segment's back-fill (issue 10, point 4): once defined, edited or deleted, every stored
 * customer is judged again on their stored facts for that segment alone — the one full read
 * of segment_states, one cursor in `_id` order, a step of `SEGMENT_BACKFILL_BATCH` at a time,
 * each written through StateWrites (outbox, effects, settle) and checkpointed, so a killed
 * back-fill resumes after its last customer done. One at a time per segment across
 * instances (a lease renewed each step); an edit meanwhile restarts it for the new version
 * (the running one notices at its next checkpoint). Streaming evaluations use the new rule
 * already (the rule book), so the two agree.
 */
@Injectable()
export class BackfillSegmentUseCase {
  private readonly logger = new Logger('Backfill');

  constructor(
    private readonly records: SegmentBackfills,
    private readonly lock: BackfillLock,
    private readonly definitions: SegmentDefinitions,
    private readonly states: SegmentStateStore,
    private readonly judged: JudgedWrites,
    private readonly config: SegmentationConfig,
    private readonly clock: Clock,
    private readonly derived: DerivedDataGate,
  ) {}

  /** Records the back-fill of the definition's version and runs it in the background. */
  async begin(definition: SegmentDefinitionDoc): Promise<SegmentBackfillDoc> {
    const backfill = await this.records.begin(definition._id, definition.version, this.clock.now().toISOString());
    this.inBackground(definition._id);
    return backfill;
  }

  progress(segmentId: string): Promise<SegmentBackfillDoc | undefined> {
    return this.records.get(segmentId);
  }

  /**
   * At start: a definition written without its back-fill recorded (a crash between the two)
   * gets one; each unfinished back-fill goes on — once a dead holder's lease ran out.
   */
  async resumeUnfinished(stopping: () => boolean): Promise<void> {
    const pause = (this.config.SEGMENT_BACKFILL_LOCK_SECONDS * 1_000) / 4;
    for (let attempt = 1; !stopping(); attempt++) {
      try {
        const recorded = new Map((await this.records.all()).map((b) => [b._id, b]));
        for (const d of await this.definitions.all()) {
          if ((recorded.get(d._id)?.version ?? 0) < d.version) recorded.set(d._id, await this.records.begin(d._id, d.version, this.clock.now().toISOString()));
        }
        const unfinished = [...recorded.values()].filter((b) => b.state !== 'DONE');
        if (!unfinished.length) return;
        // The write's bump of the rule book edition may be what the crash cut off: every instance reloads.
        await this.definitions.bump();
        for (const b of unfinished) await this.run(b._id);
      } catch (error) {
        // MongoDB or Redis not there yet (the service starts before them) or gone a while: try again.
        if (attempt > 1) this.logger.warn(`unfinished back-fills wait (${(error as Error).message}); trying again in ${pause} ms`);
      }
      await sleep(pause);
    }
  }

  /**
   * One back-fill at a time in this process, the others queued: each holds a step of
   * customers in memory, and 200 segments defined at once must not hold 200 steps.
   */
  private inBackground(segmentId: string): void {
    this.queue = this.queue.then(() => this.run(segmentId).catch((error: Error) => this.logger.error(`back-fill of ${segmentId} stopped (it resumes at the next start or write): ${error.message}`)));
  }
  private queue: Promise<void> = Promise.resolve();

  /** Takes the segment's lease and drains its back-fill; after letting go, takes it again if a new version came meanwhile. */
  private async run(segmentId: string): Promise<void> {
    for (;;) {
      const token = await this.lock.acquire(segmentId);
      if (!token) return; // another holder runs it, and looks again when it lets go
      try {
        await this.drain(segmentId, token);
      } finally {
        await this.lock.release(segmentId, token);
      }
      if ((await this.records.get(segmentId))?.state !== 'RUNNING') return;
    }
  }

  private async drain(segmentId: string, token: string): Promise<void> {
    for (;;) {
      const backfill = await this.records.get(segmentId);
      if (!backfill || backfill.state === 'DONE') return;
      const definition = await this.definitions.get(segmentId);
      if (!definition || definition.version !== backfill.version) {
        // A newer version is written and its back-fill about to be recorded (or recorded at the next start).
        if (definition && definition.version > backfill.version) await this.records.begin(segmentId, definition.version, this.clock.now().toISOString());
        else return;
        continue;
      }
      const target: BackfillTarget = {
        segmentId,
        version: backfill.version,
        matches: definition.deletedAt ? undefined : compileRule(definition.rule, this.config.ruleLimits),
        startedAt: backfill.startedAt,
      };
      this.logger.log(`back-fill of ${segmentId} v${backfill.version}${definition.deletedAt ? ' (deleted)' : ''} from ${backfill.lastId ?? 'the first customer'}`);
      if (!(await this.pass(backfill, target, token))) continue; // superseded by an edit: start again
      if (await this.records.finish(segmentId, backfill.version, this.clock.now().toISOString())) {
        const done = await this.records.get(segmentId);
        this.logger.log(`back-fill of ${segmentId} v${backfill.version} finished: ${done?.read} read, ${done?.entered} entered, ${done?.exited} exited`);
      }
    }
  }

  /** Every customer after the checkpoint, a step at a time; false when an edit superseded this version. */
  private async pass(backfill: SegmentBackfillDoc, target: BackfillTarget, token: string): Promise<boolean> {
    const built = () => this.derived.whenBuiltKeeping(() => this.lock.renew(target.segmentId, token), (this.config.SEGMENT_BACKFILL_LOCK_SECONDS * 1_000) / 4, `back-fill lock of ${target.segmentId}`);
    // Renewed on a timer too: the cursor's first page costs FerretDB v1 a full scan and sort, with no turn to renew in.
    return leaseKeptDuring(() => this.lock.renew(target.segmentId, token), (this.config.SEGMENT_BACKFILL_LOCK_SECONDS * 1_000) / 4, async () => {
      for await (const ids of this.states.scanIds(backfill.lastId, this.config.SEGMENT_BACKFILL_BATCH)) {
        const added: BackfillProgress = { read: ids.length, entered: 0, exited: 0 };
        // Each attempt's moves (another after a settle refused while Redis had lost the derived data: its writes stood).
        const attempts: Array<Map<string, Moved>> = [];
        const decideFor = () => {
          const moves = new Map(ids.map((id) => [id, {} as Moved]));
          attempts.push(moves);
          return (doc: SegmentStateDoc | undefined, _: unknown, customerId: string) => backfillCustomer(doc, target, moves.get(customerId) as Moved);
        };
        // Through JudgedWrites' load: the cached, newest copy, with what is settled of its outbox left out.
        await this.judged.runOnceBuilt(ids, decideFor, built);
        const changes = new Map(attempts.flatMap((moves) => [...moves].filter(([, m]) => m.change).map(([id, m]) => [id, m.change] as const)));
        for (const change of changes.values()) {
          if (change === 'ENTERED') added.entered++;
          if (change === 'EXITED') added.exited++;
        }
        if (!(await this.records.checkpoint(target.segmentId, target.version, ids[ids.length - 1], added))) return false;
        if (!(await this.lock.renew(target.segmentId, token))) throw new Error(`the back-fill lock of ${target.segmentId} lapsed (another instance holds it now)`);
      }
      return true;
    });
  }
}
