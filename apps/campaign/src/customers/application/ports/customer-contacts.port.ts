import type { MarketingChannel } from '@meridian/events';

/** A ticket's news that opens or closes a service case (COMPLAINT, DISPUTE, CARD_LOSS), at its instant. */
export interface CaseChange {
  customerId: string;
  ticketId: string;
  open: boolean;
  /** A TicketOpened starts the case; a later status change moves only a case already known. */
  opens: boolean;
  at: string;
}

/** A customer opted out of marketing on a channel (CAMPAIGN_OPTED_OUT on crm.interaction.v1). */
export interface OptOut {
  customerId: string;
  channel: MarketingChannel;
  at: string;
}

/** What holds marketing back from a customer beside their consents. */
export interface ContactHolds {
  openServiceCase: boolean;
  optedOut: MarketingChannel[];
}

/** The customers' open service cases (crm.ticket.v1) and opt-outs (crm.interaction.v1), in Redis: read on every decision, in one round trip. */
export abstract class CustomerContacts {
  abstract recordCases(changes: readonly CaseChange[]): Promise<void>;
  /** An opt-out stands: marketing stops on that channel (a new consent goes through the profile). */
  abstract recordOptOuts(optOuts: readonly OptOut[]): Promise<void>;
  abstract holdsOf(customerIds: readonly string[]): Promise<Map<string, ContactHolds>>;
}
