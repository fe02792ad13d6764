/** profile_events: every event folded into a profile, its payload sealed under its customer's key. */
export interface ProfileEventDoc {
  _id: string;
  customerId: string;
  type: string;
  occurredAt: string;
  /** `topic|partition` where it was first read, and its offset. */
  source: string;
  offset: string;
  sealed: string;
}

/** Where a timeline page starts: strictly older than this event (newest first). */
export interface TimelineCursor {
  occurredAt: string;
  eventId: string;
}

/** The profile's event log (STYLE.md rule 3: the port; the adapter is in infrastructure/). */
export abstract class ProfileEventLog {
  /** Inserts log entries; answers the positions that were there already. */
  abstract logEvents(docs: ProfileEventDoc[]): Promise<Set<number>>;
  abstract logged(eventIds: readonly string[]): Promise<Array<ProfileEventDoc | null>>;
  /** Every logged event stamped with one of these customers (rebuilds after merges, export). */
  abstract eventsOf(customerIds: readonly string[]): Promise<ProfileEventDoc[]>;
  /** A page of these customers' events, newest first, strictly before the cursor. */
  abstract timeline(customerIds: readonly string[], limit: number, before?: TimelineCursor): Promise<ProfileEventDoc[]>;
  /** Erasure: drops these customers' timeline index (the times and eventIds of their events). */
  abstract forgetTimelineOf(customerIds: readonly string[]): Promise<void>;
}
