import { EnvelopeInit, PointsAwarded, PointsExpired, PointsRedeemed } from '@meridian/events';
import { newEnvelope } from '@meridian/events/kafka';
import type { PointsEntry } from '../domain/points-ledger';

/**
 * An entry's announcement on crm.campaign.v1: PointsAwarded, PointsRedeemed or PointsExpired,
 * under the entry's id as its eventId (announced again after a failure, it is the same event),
 * dated when the entry happened (an expiry: when its points lapsed).
 */
export function pointsEventOf(customerId: string, entry: PointsEntry): EnvelopeInit<PointsAwarded | PointsRedeemed | PointsExpired> {
  const meta = { eventId: entry.entryId, source: 'meridian-campaign', customerId, occurredAt: entry.at };
  const base = { customerId, ledgerEntryId: entry.entryId, points: entry.points };
  if (entry.kind === 'AWARD') return newEnvelope('PointsAwarded', { ...base, reason: entry.reason, expiresAt: entry.expiresAt }, meta);
  if (entry.kind === 'REDEMPTION') return newEnvelope('PointsRedeemed', { ...base, reason: entry.reason }, meta);
  return newEnvelope('PointsExpired', { ...base, awardedEntryId: entry.awardedEntryId }, meta);
}
