/** A customer's response to a message, as the channel reported it (crm.interaction.v1), or its hand-over to the channel. */
export interface MessageResponse {
  campaignId: string;
  messageId: string;
  kind: 'dispatched' | 'failed' | 'delivered' | 'opened' | 'clicked' | 'optedOut';
  /** Kept on the response's mark (a failure's code and message, for its report sent again). */
  detail?: string;
}

/** The funnel's counters (per campaign, channel and variant), each response of a message counted once. */
export abstract class ResponseCounters {
  abstract record(responses: readonly MessageResponse[]): Promise<void>;
  /** The mark of this response of the message, if it was counted already: its detail, else `''`. */
  abstract markOf(response: MessageResponse): Promise<string | undefined>;
}
