import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { IdentityUnmerged, TOPICS, validateEnvelope } from '@meridian/events';
import { EventPublisher, newEnvelope } from '@meridian/events/kafka';
import { Clock, FieldValidationException, Principal } from '@meridian/shared';
import { randomBytes } from 'node:crypto';
import { stableId } from '../../common/stable-id';
import { IngestConfig } from '../../config/ingest.config';
import { holdMergeLeases } from './merge-leases';
import { IdentityMergeDoc, IdentityStore } from './ports/identity-store.port';

export interface UnmergeResult {
  mergeId: string;
  survivorId: string;
  restoredId: string;
  restoredKeys: number;
  undoneBy: string;
}

/**
 * An ADMIN undoes a wrong merge (POST /v1/identities/{customerId}/unmerge): the merged
 * customer's keys go back to it, the merge history records who undid it and why, and
 * IdentityUnmerged (keyed by the survivor) tells every service to split its state again.
 * `customerId` is the merged customer, or the survivor together with the `mergeId`.
 */
@Injectable()
export class UnmergeIdentityUseCase {
  constructor(
    private readonly repository: IdentityStore,
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
    private readonly config: IngestConfig,
  ) {}

  async execute(customerId: string, request: { mergeId?: string; reason?: string }, admin: Principal): Promise<UnmergeResult> {
    const found = await this.findMerge(customerId, request.mergeId);
    // Under the merge leases of both (ADR 0006): no merge of either is being made meanwhile, and two undos do not both run.
    const holder = `unmerge-${found._id}-${randomBytes(4).toString('hex')}`;
    const customers = [found.survivorId, found.mergedId];
    await holdMergeLeases(this.repository, customers, holder, this.config.INGEST_IDENTITY_LEASE_SECONDS * 1000, () => this.clock.now().getTime());
    try {
      return await this.undo((await this.repository.merge(found._id)) ?? found, request, admin);
    } finally {
      await this.repository.releaseMergeLeases(customers, holder);
    }
  }

  private async undo(merge: IdentityMergeDoc, request: { mergeId?: string; reason?: string }, admin: Principal): Promise<UnmergeResult> {
    if (merge.status === 'UNDONE') throw new ConflictException(`merge ${merge._id} was already undone by ${merge.undoneBy}`);
    const survivor = await this.repository.customer(merge.survivorId);
    if (survivor?.status === 'MERGED') {
      throw new ConflictException(`${merge.survivorId} has itself been merged into ${survivor.mergedInto} since (merge ${survivor.mergeId}); undo that merge first`);
    }

    const at = this.clock.now();
    const payload: IdentityUnmerged = {
      mergeId: merge._id,
      survivorId: merge.survivorId,
      restoredId: merge.mergedId,
      undoneBy: admin.sub,
      ...(request.reason ? { reason: request.reason } : {}),
    };
    const event = {
      topic: TOPICS.governance,
      envelope: newEnvelope('IdentityUnmerged', payload, {
        eventId: stableId('G', 'unmerged', merge._id),
        source: 'meridian-ingest',
        customerId: merge.survivorId,
        occurredAt: at.toISOString(),
        causationId: merge.eventId,
      }),
    };
    // Checked before anything changes: an event that could not be published must not leave a half-done split behind.
    const verdict = validateEnvelope(event.topic, JSON.parse(JSON.stringify(event.envelope)));
    if (!verdict.ok) throw new FieldValidationException(verdict.errors.map((e) => (e.field === 'payload.undoneBy' ? { ...e, field: 'token.sub', message: `the caller's subject ${e.message.replace(/^payload\.undoneBy /, '')}` } : e)));
    const outboxId = stableId('U', merge._id);
    await this.repository.writeOutbox([
      { _id: outboxId, createdAt: at, changes: [{ kind: 'unmerge', mergeId: merge._id, undoneBy: admin.sub, ...(request.reason ? { reason: request.reason } : {}) }], events: [event] },
    ]);
    const restored = await this.repository.apply({ kind: 'unmerge', mergeId: merge._id, undoneBy: admin.sub, reason: request.reason }, at);
    await this.repository.refreshCachedOwners([...restored.keys()]);
    await this.publisher.publishAll([event]);
    await this.repository.deleteOutbox([outboxId]);
    return { mergeId: merge._id, survivorId: merge.survivorId, restoredId: merge.mergedId, restoredKeys: restored.size, undoneBy: admin.sub };
  }

  private async findMerge(customerId: string, mergeId?: string): Promise<IdentityMergeDoc> {
    const customer = await this.repository.customer(customerId);
    if (!customer) throw new NotFoundException(`customer ${customerId} is unknown to ingest`);
    const id = mergeId ?? customer.mergeId;
    if (!id) {
      throw new ConflictException(`${customerId} is not a merged customer; to undo a merge into it, name the mergeId`);
    }
    const merge = await this.repository.merge(id);
    if (!merge || (merge.mergedId !== customerId && merge.survivorId !== customerId)) {
      throw new NotFoundException(`merge ${id} does not involve ${customerId}`);
    }
    return merge;
  }
}
