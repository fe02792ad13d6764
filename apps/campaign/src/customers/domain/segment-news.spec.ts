import { factsOf, newestChanges } from './customer-facts';
import { profileVersionOf, segmentNews } from './segment-news';

const at = (min: number) => new Date(Date.UTC(2026, 11, 2, 2, min)).toISOString();
const news = (type: string, payload: Record<string, unknown>, eventId = 'e1', occurredAt = at(0)) =>
  segmentNews({ eventId, type, schemaVersion: 1, occurredAt, source: 'meridian-segmentation', customerId: 'C1', payload: { customerId: 'C1', ...payload } } as never);

describe('segmentation’s news at campaign', () => {
  it('reads the profile version a ProfileUpdated’s evaluation names, and none for a sweep’s', () => {
    expect(profileVersionOf('seg-C1-p12-LifecycleStageChanged', 'C1')).toBe(12);
    expect(profileVersionOf('seg-C1-s2026-12-02T00:00:00.000Z-LifecycleStageChanged', 'C1')).toBeUndefined();
    expect(profileVersionOf('seg-C11-p3-TierChanged', 'C1')).toBeUndefined();
  });

  it('makes triggers of moves: a stage or tier changed, churn risk turning HIGH, a segment entered; RFM is a fact only', () => {
    expect(news('LifecycleStageChanged', { from: 'ACTIVE', to: 'AT_RISK', reason: 'r' }, 'seg-C1-p4-x').trigger).toEqual({ triggerId: 'seg-C1-p4-x', customerId: 'C1', at: at(0), profileVersion: 4, kind: 'LIFECYCLE_CHANGED', to: 'AT_RISK' });
    expect(news('ChurnRiskChanged', { score: 0.8, band: 'HIGH', previousBand: 'MEDIUM', topFactors: [] }).trigger?.kind).toBe('CHURN_RISK_HIGH');
    expect(news('ChurnRiskChanged', { score: 0.9, band: 'HIGH', previousBand: 'HIGH', topFactors: [] }).trigger).toBeUndefined();
    expect(news('SegmentMembershipChanged', { segmentId: 'seg-a', change: 'EXITED' }).trigger).toBeUndefined();
    expect(news('RfmScored', { r: 5, f: 4, m: 3, rfmSegment: 'Loyal' })).toEqual({ change: { customerId: 'C1', at: at(0), field: 'rfm', value: { r: 5, f: 4, m: 3, segment: 'Loyal' } } });
  });

  it('keeps the newest change of each field and membership, whatever order they came in', () => {
    const changes = [news('TierChanged', { to: 'GOLD', reason: 'r' }, 'a', at(5)).change, news('TierChanged', { to: 'SILVER', reason: 'r' }, 'b', at(1)).change, news('SegmentMembershipChanged', { segmentId: 'x', change: 'ENTERED' }, 'c', at(2)).change, news('SegmentMembershipChanged', { segmentId: 'y', change: 'ENTERED' }, 'd', at(2)).change];
    expect(newestChanges(changes).map((c) => ('segmentId' in c ? c.segmentId : c.value))).toEqual(['GOLD', 'x', 'y']);
  });

  it('gives a rule the profile’s features, the tags held (catalogue tags by code) and the segments; nothing before a profile, or once merged or erased', () => {
    const record = { customerId: 'C1', version: 2, status: 'ACTIVE' as const, features: { aumMinor: 1, productsHeld: [], txnCount30d: 0, txnCount90d: 0, txnAmount30dMinor: 0, txnAmount90dMinor: 0, tags: ['P'] }, derived: { tier: { value: 'GOLD' as const, at: at(0) } }, memberships: { 'tag:HIGH_VALUE': { in: true, at: at(0) }, 'seg-a': { in: true, at: at(0) }, 'seg-b': { in: false, at: at(0) } } };
    expect(factsOf(record)).toMatchObject({ tier: 'GOLD', tags: ['P', 'HIGH_VALUE'], segments: ['seg-a'] });
    expect(factsOf({ ...record, features: undefined })).toBeUndefined();
    expect(factsOf({ ...record, status: 'ERASED' })).toBeUndefined();
  });
});
