import type { ChurnRiskBand, LifecycleStage, ProfileFeatures, RfmSegment, Tier } from '@meridian/events';
import type { CampaignFacts } from '../../campaigns/domain/campaign-facts';
import { TAG } from '../../campaigns/domain/trigger-event';

/** One thing segmentation announced of a customer (crm.segment.v1), at the instant it decided it. */
export type DerivedChange =
  | { field: 'tier'; value: Tier }
  | { field: 'lifecycleStage'; value: LifecycleStage }
  | { field: 'churn'; value: { score: number; band: ChurnRiskBand } }
  | { field: 'rfm'; value: { r: number; f: number; m: number; segment: RfmSegment; clvMinor?: number } }
  | { field: 'membership'; segmentId: string; value: boolean };

export type DatedChange = DerivedChange & { customerId: string; at: string };

/** What campaign keeps of a customer: the latest ProfileUpdated and, per field, the newest of segmentation's announcements. */
export interface CustomerRecord {
  customerId: string;
  /** The ProfileUpdated version folded (0: none yet). */
  version: number;
  status: 'ACTIVE' | 'MERGED' | 'ERASED';
  features?: ProfileFeatures;
  derived: {
    tier?: { value: Tier; at: string };
    lifecycleStage?: { value: LifecycleStage; at: string };
    churn?: { value: { score: number; band: ChurnRiskBand }; at: string };
    rfm?: { value: { r: number; f: number; m: number; segment: RfmSegment; clvMinor?: number }; at: string };
  };
  /** Segment ids (and `tag:<CODE>` catalogue tags) with whether the customer is in, as of when. */
  memberships: Record<string, { in: boolean; at: string }>;
}


/**
 * The facts a campaign's rules read (CampaignFacts) from what is kept, or none before the
 * profile's first ProfileUpdated (nothing is known of consent: PIPL) or once the customer is
 * merged or erased. The catalogue's tags the customer holds join the profile's tags.
 */
export function factsOf(record: CustomerRecord | undefined): CampaignFacts | undefined {
  if (!record?.features || record.status !== 'ACTIVE') return undefined;
  const held = Object.entries(record.memberships).filter(([, m]) => m.in).map(([id]) => id);
  const d = record.derived;
  return {
    ...record.features,
    tags: [...new Set([...record.features.tags, ...held.filter((id) => id.startsWith(TAG)).map((id) => id.slice(TAG.length))])],
    segments: held.filter((id) => !id.startsWith(TAG)),
    ...(d.tier && { tier: d.tier.value }),
    ...(d.lifecycleStage && { lifecycleStage: d.lifecycleStage.value }),
    ...(d.churn && { churnScore: d.churn.value.score, churnBand: d.churn.value.band }),
    ...(d.rfm && { rfm: { r: d.rfm.value.r, f: d.rfm.value.f, m: d.rfm.value.m, segment: d.rfm.value.segment }, ...(d.rfm.value.clvMinor !== undefined && { clvMinor: d.rfm.value.clvMinor }) }),
  };
}

/** The newest change of each field (and of each membership) of each customer: what a batch leaves, whatever order its changes came in. */
export function newestChanges(changes: readonly DatedChange[]): DatedChange[] {
  const newest = new Map<string, DatedChange>();
  for (const c of changes) {
    const key = `${c.customerId}\u0000${c.field}\u0000${c.field === 'membership' ? c.segmentId : ''}`;
    const seen = newest.get(key);
    if (!seen || Date.parse(c.at) >= Date.parse(seen.at)) newest.set(key, c);
  }
  return [...newest.values()];
}

/** A ProfileUpdated as campaign keeps it: its version, the standing it gives and its features. */
export interface VersionedProfile<F = unknown> {
  customerId: string;
  version: number;
  status: CustomerRecord['status'];
  features: F;
}

/**
 * What a batch of ProfileUpdated leaves of each customer, applied in the order they came: a
 * version over an older one only, and nothing over an erasure (PIPL: it is final) — so
 * `[v5 ERASED, v6 ACTIVE]` leaves the erasure, as the copies kept apart would.
 */
export function profilesLeft<P extends VersionedProfile>(facts: readonly P[]): P[] {
  const left = new Map<string, P>();
  for (const f of facts) {
    const kept = left.get(f.customerId);
    if (!kept || (kept.status !== 'ERASED' && kept.version < f.version)) left.set(f.customerId, f);
  }
  return [...left.values()];
}