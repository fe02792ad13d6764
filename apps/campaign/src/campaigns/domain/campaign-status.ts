/** A campaign's life (issue 12): DRAFT → ACTIVE ⇄ PAUSED → COMPLETED. */
export const CAMPAIGN_STATUSES = ['DRAFT', 'ACTIVE', 'PAUSED', 'COMPLETED'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** What an operator asks of a campaign (POST /v1/campaigns/{id}/activate|pause, and its end). */
export type CampaignCommand = 'ACTIVATE' | 'PAUSE' | 'COMPLETE';

const MOVES: Record<CampaignStatus, Partial<Record<CampaignCommand, CampaignStatus>>> = {
  DRAFT: { ACTIVATE: 'ACTIVE', COMPLETE: 'COMPLETED' },
  ACTIVE: { PAUSE: 'PAUSED', COMPLETE: 'COMPLETED' },
  PAUSED: { ACTIVATE: 'ACTIVE', COMPLETE: 'COMPLETED' },
  COMPLETED: {},
};

export type CampaignMove = { ok: true; to: CampaignStatus; changed: boolean } | { ok: false; allowed: CampaignCommand[] };

/**
 * The status a command leads to. Asking for what the campaign already is changes nothing (a
 * retried activate is harmless); a COMPLETED campaign stays completed — its stats are final.
 */
export function moveCampaign(from: CampaignStatus, command: CampaignCommand): CampaignMove {
  const already = (command === 'ACTIVATE' && from === 'ACTIVE') || (command === 'PAUSE' && from === 'PAUSED') || (command === 'COMPLETE' && from === 'COMPLETED');
  if (already) return { ok: true, to: from, changed: false };
  const to = MOVES[from][command];
  return to ? { ok: true, to, changed: true } : { ok: false, allowed: Object.keys(MOVES[from]) as CampaignCommand[] };
}

/** Only an ACTIVE campaign decides triggers; the others are suppressed before anything is read. */
export const isDeciding = (status: CampaignStatus) => status === 'ACTIVE';
