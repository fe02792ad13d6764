import { Injectable } from '@nestjs/common';
import { EnvelopeInit, IdentityConflict, IdentityEvidence, IdentityMerged, TOPICS } from '@meridian/events';
import { OutgoingEvent, newEnvelope } from '@meridian/events/kafka';
import { Clock } from '@meridian/shared';
import { stableId } from '../../common/stable-id';
import { IngestConfig } from '../../config/ingest.config';
import { keyHash, keyKind } from '../domain/identity-keys';
import { KeyOwner, PlanRecord, RecordPlan } from '../domain/identity-plan';
import { keysOfPlannedCustomer } from '../domain/kept-apart';
import { KeptApartPlanning, keptApartConflicts } from './kept-apart-planning';
import { IdentityChange, IdentityOutboxDoc, IdentityStore } from './ports/identity-store.port';
import { ResolutionRun } from './resolution-run';
import { changesToMake, eventsToPublish, undoneMerges } from './undone-merges';

/** What the pipeline needs to know of the record that is being resolved. */
export interface ResolveRecord extends PlanRecord {
  occurredAt: string;
  correlationId?: string;
}

export interface Resolution {
  /** One per record, in order. */
  plans: RecordPlan[];
  /** Governance events announcing merges and moved keys; publish with the canonical events. */
  events: OutgoingEvent[];
  /** Outbox documents to delete once `events` are published. */
  outboxIds: string[];
}

const MAX_ROUNDS = 20;

/** The customer id a record creates when its keys match nobody: derived from its eventId, so a retry creates the same one. */
export const newCustomerId = (eventId: string): string => stableId('C', 'customer', eventId);

/**
 * Resolves a batch of records to customers (DOMAIN.md: identity) against the identity map:
 * keys the cache does not know are presumed new and claimed with one insert; a claim that
 * finds its key taken learns the owner and the batch is planned again. Concurrent first
 * sightings of one person from two sources meet at the unique key: one insert wins, the
 * other learns the winner. Moves and merges go through the outbox, so an announced change
 * is never lost to a crash.
 */
@Injectable()
export class IdentityResolver {
  constructor(
    private readonly repository: IdentityStore,
    private readonly clock: Clock,
    private readonly config: IngestConfig,
  ) {}

  async resolve(records: readonly ResolveRecord[], at: Date, options: { heartbeat?: () => Promise<void> } = {}): Promise<Resolution> {
    const allKeys = [...new Set(records.flatMap((r) => [r.keys.idNumber, r.keys.sourceRef, r.keys.phone].filter((k): k is string => !!k)))];
    const cached = await this.repository.cachedOwners(allKeys);
    const run = new ResolutionRun(this.repository, this.clock, this.config.INGEST_IDENTITY_LEASE_SECONDS * 1000, options.heartbeat);
    const known = new Map<string, KeyOwner>([...cached].map(([k, c]) => [k, { customerId: c }]));
    const learn = (owners: ReadonlyMap<string, string | undefined>) => {
      for (const [key, owner] of owners) {
        if (owner) known.set(key, { customerId: owner });
        else known.delete(key);
      }
    };
    run.onYield = (given) => given.forEach((k) => known.delete(k));
    const separations = new KeptApartPlanning(this.repository);

    const repointed = new Set<string>();
    try {
      let plans: RecordPlan[] = [];
      for (let round = 1; ; round++) {
        if (round > MAX_ROUNDS) throw new Error(`identity resolution did not settle after ${MAX_ROUNDS} rounds`);
        plans = await separations.plan(records, known, newCustomerId);
        const claims = plans.flatMap((p, i) =>
          p.writes.flatMap((w) => (w.kind === 'claim' ? [{ key: w.key, customerId: w.customerId, eventId: records[i].eventId }] : [])),
        );
        if (claims.length) {
          const newOnes = plans.flatMap((p, i) => (p.created && !run.created.has(p.customerId) ? [{ customerId: p.customerId, eventId: records[i].eventId }] : []));
          const taken = await run.claim(claims, newOnes, at);
          for (const c of claims) if (!taken.includes(c.key)) known.set(c.key, { customerId: c.customerId, provisional: true });
          // Owners learned from other runs' claims are used once those runs settled.
          if (taken.length) {
            learn(await run.settledOwners(taken));
            continue;
          }
        }
        // The claims are final: this run's own claims go where the plan wants them (silently:
        // nobody has seen those candidates), then the run settles, and they are owners like any other.
        const repoints = plans.flatMap((p, i) =>
          p.writes.flatMap((w): IdentityChange[] => (w.kind === 'repoint' ? [{ kind: 'relink', key: w.key, from: w.from, to: w.customerId, eventId: records[i].eventId }] : [])),
        );
        for (const key of await run.settle(repoints, at)) repointed.add(key);
        for (const r of repoints) if (r.kind === 'relink') known.set(r.key, { customerId: r.to });
        for (const [key, owner] of known) if (owner.provisional) known.set(key, { customerId: owner.customerId });
        // Merges are made under the customers' merge leases; when someone merged one of them
        // meanwhile, the batch is planned again on what is stored now.
        const merging = plans.flatMap((p) => (p.merge ? [p.merge.survivorId, p.merge.mergedId] : []));
        if (!merging.length || (await run.leaseForMerges(merging))) break;
        learn(await run.settledOwners(allKeys));
      }
      return await this.announce(records, plans, cached, run, at, repointed, options.heartbeat);
    } catch (error) {
      await run.giveUp();
      throw error;
    } finally {
      await run.releaseMergeLeases();
    }
  }

  /** Writes the plan's moves and merges through the outbox, makes them, and caches the owners. */
  private async announce(
    records: readonly ResolveRecord[],
    plans: RecordPlan[],
    cached: ReadonlyMap<string, string>,
    run: ResolutionRun,
    at: Date,
    changed: Set<string>,
    heartbeat?: () => Promise<void>,
  ): Promise<Resolution> {
    // Keys whose owner the cache does not hold yet (new, or learned from MongoDB); moved keys are refreshed after the change.
    const owners = new Map<string, string>();
    plans.forEach((p, i) => {
      for (const k of keysOfPlannedCustomer(records[i].keys, p)) if (cached.get(k) !== p.customerId) owners.set(k, p.customerId);
    });

    const outbox: IdentityOutboxDoc[] = [];
    plans.forEach((plan, i) => {
      const record = records[i];
      const changes: IdentityChange[] = [];
      const events: OutgoingEvent[] = [];
      for (const w of plan.writes) {
        // Claims and this run's re-pointed claims are made already (resolve).
        if (w.kind !== 'move') continue;
        changes.push({ kind: 'relink', key: w.key, from: w.from, to: w.customerId, eventId: record.eventId });
        events.push(this.conflictEvent(record, w.key, w.from, w.customerId));
      }
      if (plan.merge) {
        const mergeId = stableId('M', record.eventId, plan.merge.mergedId);
        const evidence: IdentityEvidence[] = plan.merge.evidence.map((k) => ({ kind: keyKind(k), keyHash: keyHash(k), eventId: record.eventId }));
        changes.push({ kind: 'merge', mergeId, survivorId: plan.merge.survivorId, mergedId: plan.merge.mergedId, evidence, eventId: record.eventId });
        events.push(this.mergedEvent(record, mergeId, plan.merge.survivorId, plan.merge.mergedId, evidence));
      }
      if (changes.length) outbox.push({ _id: stableId('O', record.eventId), createdAt: at, changes, events });
    });

    // A retry after an ADMIN undid a merge this batch decided before: not made, not announced again.
    const undone = await undoneMerges(this.repository, outbox.flatMap((d) => d.changes));
    if (outbox.length) {
      // Stamped when written, not when the batch began: the relay's grace period runs from here.
      const written = this.clock.now();
      for (const doc of outbox) doc.createdAt = written;
      await this.repository.writeOutbox(outbox);
      const made = await this.repository.applyAll(outbox.flatMap((doc) => changesToMake(undone, doc.changes)), at, heartbeat);
      for (const k of made) changed.add(k);
    }
    // Candidates dropped after a lost claim hold no keys any more (the plan re-pointed them).
    const targets = new Set(plans.map((p) => p.customerId));
    await this.repository.deleteCustomers([...run.created].filter((c) => !targets.has(c) && !run.kept.has(c)));
    for (const k of changed) owners.delete(k);
    await this.repository.cacheOwners(owners);
    await this.repository.refreshCachedOwners([...changed]);
    const keptApart = keptApartConflicts(records, plans).map((c) => ({ topic: TOPICS.governance, envelope: this.envelope(c.record, 'IdentityConflict', c.payload, c.payload.customerId, c.eventId) }));
    return { plans, events: [...eventsToPublish(undone, outbox.flatMap((d) => d.events)), ...keptApart], outboxIds: outbox.map((d) => d._id) };
  }

  private conflictEvent(record: ResolveRecord, key: string, from: string, to: string): OutgoingEvent {
    const payload: IdentityConflict = {
      customerId: to,
      conflictingCustomerId: from,
      movedKey: keyKind(key),
      resolution: `${keyKind(key)} moved from ${from} to ${to}: the record's idNumber decides (DOMAIN.md: idNumber outranks phone)`,
    };
    return { topic: TOPICS.governance, envelope: this.envelope(record, 'IdentityConflict', payload, to, stableId('G', 'conflict', record.eventId, key)) };
  }

  private mergedEvent(record: ResolveRecord, mergeId: string, survivorId: string, mergedId: string, evidence: IdentityEvidence[]): OutgoingEvent {
    const payload: IdentityMerged = { mergeId, survivorId, mergedId, evidence };
    return { topic: TOPICS.governance, envelope: this.envelope(record, 'IdentityMerged', payload, survivorId, stableId('G', 'merged', mergeId)) };
  }

  private envelope<P>(record: ResolveRecord, type: string, payload: P, customerId: string, eventId: string): EnvelopeInit<P> {
    return newEnvelope(type, payload, {
      eventId,
      source: 'meridian-ingest',
      customerId,
      occurredAt: record.occurredAt,
      causationId: record.eventId,
      correlationId: record.correlationId ?? record.eventId,
    });
  }
}
