import { ReportDelta } from '../../domain/report-deltas';

/** A ticket's counter moves, as of one of its writes. */
export interface TicketCounts {
  ticketId: string;
  rev: number;
  deltas: readonly ReportDelta[];
}

/**
 * The service desk's report counters (issue 11, point 8), kept as tickets are written and read
 * by key: a report costs the same at 100 tickets or 100,000. Counting is idempotent per ticket
 * write: the moves of a rev already counted are not counted again (a settle's resend).
 */
export abstract class ReportCounters {
  abstract count(changes: readonly TicketCounts[]): Promise<void>;
  /** Every counter set whose scope starts with `prefix` (`sla:`, `agent:`, `categories`, `topics`), by scope. */
  abstract read(prefix: string): Promise<Map<string, Record<string, number>>>;
}
