import type { Lead, LeadStatus } from '../../domain/lead';

export interface LeadQuery {
  branchId?: string;
  /** One status, or every open one. */
  status?: LeadStatus;
  minScore: number;
  maxScore: number;
  limit: number;
  /** `<score>:<customerId>` of the last lead of the page before. */
  after?: { score: number; customerId: string };
}

/** The leads by status and branch, highest score first (Redis sorted sets): what `GET /v1/leads` reads, never a scan. */
export abstract class LeadIndex {
  /** Files the lead as it is now (out of where it was); none: out of every index. */
  abstract file(lead: Lead | undefined, before?: Lead): Promise<void>;
  /** Customers whose leads match, highest score first (then customerId), at most `limit`. */
  abstract find(query: LeadQuery): Promise<Array<{ customerId: string; score: number }>>;
  /** Which of these customers have an open lead. */
  abstract openAmong(customerIds: readonly string[]): Promise<Set<string>>;
}
