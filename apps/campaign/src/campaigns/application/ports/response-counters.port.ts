/** A customer's response to a message, as the channel reported it (crm.interaction.v1). */
export interface MessageResponse {
  campaignId: string;
  messageId: string;
  kind: 'delivered' | 'opened' | 'clicked' | 'optedOut';
}

/** The funnel's counters (per campaign, channel and variant), each response of a message counted once. */
export abstract class ResponseCounters {
  abstract record(responses: readonly MessageResponse[]): Promise<void>;
}
