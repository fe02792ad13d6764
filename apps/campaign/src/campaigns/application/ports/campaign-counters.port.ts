/** A campaign's counters as the ledger keeps them, exactly once a decision: `sent`, `control`, `costMinor`, `suppressed:<REASON>`, `sent:channel:<c>`, `sent:variant:<template>/<variant>`. */
export abstract class CampaignCounters {
  abstract read(campaignId: string): Promise<Record<string, number>>;
  /** Sets a counter to 1 (a mark: `alerted:<week>`). */
  abstract mark(campaignId: string, field: string): Promise<void>;
}
