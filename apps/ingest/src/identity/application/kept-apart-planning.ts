import { IdentityConflict } from '@meridian/events';
import { stableId } from '../../common/stable-id';
import { evidenceOf, keyKind } from '../domain/identity-keys';
import { KeyOwner, PlanRecord, RecordPlan, planIdentities } from '../domain/identity-plan';
import { keptApartPairId } from '../domain/kept-apart';
import { IdentityStore } from './ports/identity-store.port';

/**
 * The planner with the ADMIN's separations in view (ADR 0006: sticky unmerge). A plan that
 * proposes merges costs one more round trip: the proposed pairs are read by `_id` together,
 * and when any is kept apart the batch is planned again with them. Plans without merges (all
 * but a few) cost nothing. One instance per batch: a pair is read once.
 */
export class KeptApartPlanning {
  private readonly consulted = new Set<string>();
  private readonly keptApart = new Set<string>();

  constructor(private readonly store: IdentityStore) {}

  async plan(records: readonly PlanRecord[], known: ReadonlyMap<string, KeyOwner>, newCustomerId: (eventId: string) => string): Promise<RecordPlan[]> {
    for (;;) {
      const plans = planIdentities(records, known, newCustomerId, this.keptApart);
      const proposed = [...new Set(plans.flatMap((p) => (p.merge ? [keptApartPairId(p.merge.survivorId, p.merge.mergedId)] : [])))].filter((id) => !this.consulted.has(id));
      if (!proposed.length) return plans;
      proposed.forEach((id) => this.consulted.add(id));
      const kept = await this.store.keptApart(proposed);
      if (!kept.size) return plans;
      kept.forEach((id) => this.keptApart.add(id));
    }
  }
}

/**
 * The IdentityConflicts of records a separation kept from merging, for review. Nothing
 * changed, so no outbox: a retried batch plans them again and publishes the same eventId
 * (from the record and the other customer), which consumers' idempotency absorbs.
 */
export function keptApartConflicts<R extends PlanRecord>(records: readonly R[], plans: readonly RecordPlan[]): Array<{ record: R; payload: IdentityConflict; eventId: string }> {
  return plans.flatMap((plan, i) => {
    const apart = plan.keptApart;
    if (!apart) return [];
    const record = records[i];
    const key = keyKind(apart.evidence[0]);
    const payload: IdentityConflict = {
      customerId: plan.customerId,
      conflictingCustomerId: apart.otherId,
      movedKey: key,
      resolution: `not merged: an ADMIN keeps ${plan.customerId} and ${apart.otherId} apart (an undone merge); the record stays with ${plan.customerId}, its source reference's customer, and the ${key} with ${apart.otherId} — review the source's data, or lift the separation`,
      reason: 'KEPT_APART',
      evidence: evidenceOf(apart.evidence, record.eventId),
    };
    return [{ record, payload, eventId: stableId('G', 'kept-apart', record.eventId, apart.otherId) }];
  });
}
