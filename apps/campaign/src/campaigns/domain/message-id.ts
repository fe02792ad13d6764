import { createHash } from 'node:crypto';

/**
 * A message's id: the same for the same campaign, customer and trigger on every instance and
 * every redelivery (so the decision is keyed by it, and what it publishes carries one id).
 */
export function messageIdFor(campaignId: string, customerId: string, triggerId: string): string {
  return `msg-${createHash('sha256').update(`${campaignId}\u0000${customerId}\u0000${triggerId}`).digest('base64url').slice(0, 24)}`;
}
