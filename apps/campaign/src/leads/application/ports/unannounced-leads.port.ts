/** Leads written with a LeadAssigned still to announce (a Redis sorted set by when marked): what the settle job announces after a crash. */
export abstract class UnannouncedLeads {
  abstract mark(customerId: string, at: Date): Promise<void>;
  abstract unmark(customerId: string): Promise<void>;
  abstract markedBefore(before: Date, limit: number): Promise<string[]>;
}
