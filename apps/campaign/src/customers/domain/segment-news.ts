import type { ChurnRiskChanged, EventEnvelope, LifecycleStageChanged, RfmScored, SegmentMembershipChanged, TierChanged } from '@meridian/events';
import type { TriggerEvent } from '../../campaigns/domain/trigger-event';
import type { DatedChange } from './customer-facts';

/** The crm.segment.v1 events campaign reads. */
export const SEGMENT_NEWS = ['TierChanged', 'LifecycleStageChanged', 'ChurnRiskChanged', 'SegmentMembershipChanged', 'RfmScored'] as const;

type SegmentEvent = TierChanged | LifecycleStageChanged | ChurnRiskChanged | SegmentMembershipChanged | RfmScored;

/**
 * The profile version an announcement was derived from: segmentation names its events
 * `seg-<customerId>-p<version>-…` for a ProfileUpdated's evaluation (a sweep's or a back-fill's
 * carry none, and wait for nothing).
 */
export function profileVersionOf(eventId: string, customerId: string): number | undefined {
  const prefix = `seg-${customerId}-p`;
  if (!eventId.startsWith(prefix)) return undefined;
  const m = /^(\d+)-/.exec(eventId.slice(prefix.length));
  return m ? Number(m[1]) : undefined;
}

/**
 * What one of segmentation's announcements changes of the customer's facts, and the trigger it
 * is, if any: a tier or stage moved, churn risk turned HIGH (from another band), a segment or
 * catalogue tag entered. RFM scores are facts only.
 */
export function segmentNews(e: EventEnvelope<unknown>): { change: DatedChange; trigger?: TriggerEvent } {
  const p = e.payload as SegmentEvent;
  const base = { customerId: p.customerId, at: e.occurredAt };
  const version = profileVersionOf(e.eventId, p.customerId);
  const by = { triggerId: e.eventId, ...base, ...(version !== undefined && { profileVersion: version }) };
  switch (e.type) {
    case 'TierChanged': {
      const t = p as TierChanged;
      return { change: { ...base, field: 'tier', value: t.to }, ...(t.from !== t.to && { trigger: { ...by, kind: 'TIER_CHANGED', to: t.to } }) };
    }
    case 'LifecycleStageChanged': {
      const l = p as LifecycleStageChanged;
      return { change: { ...base, field: 'lifecycleStage', value: l.to }, ...(l.from !== l.to && { trigger: { ...by, kind: 'LIFECYCLE_CHANGED', to: l.to } }) };
    }
    case 'ChurnRiskChanged': {
      const c = p as ChurnRiskChanged;
      return { change: { ...base, field: 'churn', value: { score: c.score, band: c.band } }, ...(c.band === 'HIGH' && c.previousBand !== 'HIGH' && { trigger: { ...by, kind: 'CHURN_RISK_HIGH' } }) };
    }
    case 'SegmentMembershipChanged': {
      const m = p as SegmentMembershipChanged;
      const entered = m.change === 'ENTERED';
      return { change: { ...base, field: 'membership', segmentId: m.segmentId, value: entered }, ...(entered && { trigger: { ...by, kind: 'SEGMENT_ENTERED', segmentId: m.segmentId } }) };
    }
    default: {
      const r = p as RfmScored;
      return { change: { ...base, field: 'rfm', value: { r: r.r, f: r.f, m: r.m, segment: r.rfmSegment, ...(r.clvMinor !== undefined && { clvMinor: r.clvMinor }) } } };
    }
  }
}
