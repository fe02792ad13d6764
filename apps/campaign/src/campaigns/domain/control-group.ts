import { createHash } from 'node:crypto';

/**
 * Where a customer falls in a campaign, uniformly in [0, 1): the first 48 bits of
 * SHA-256(campaignId, customerId). Stable — the same customer is in the same arm of a campaign on
 * every instance, every run and every retry — and independent across campaigns, so one customer is
 * not held out of everything.
 */
export function armPoint(campaignId: string, customerId: string): number {
  const digest = createHash('sha256').update(`${campaignId}\u0000${customerId}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/** DOMAIN.md control group: the configured share of the audience is held out — tracked, never contacted. */
export function isControl(campaignId: string, customerId: string, controlShare: number): boolean {
  return armPoint(campaignId, customerId) < controlShare;
}
