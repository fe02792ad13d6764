/** A ticket's news that opens or closes a service case (COMPLAINT, DISPUTE, CARD_LOSS), at its instant. */
export interface CaseChange {
  customerId: string;
  ticketId: string;
  open: boolean;
  /** A TicketOpened starts the case; a later status change moves only a case already known. */
  opens: boolean;
  at: string;
}

/** The customers' open service cases (crm.ticket.v1), in Redis: read on every decision. */
export abstract class ServiceCases {
  abstract record(changes: readonly CaseChange[]): Promise<void>;
  /** The customers of `customerIds` with an open case. */
  abstract withOpenCase(customerIds: readonly string[]): Promise<Set<string>>;
}
