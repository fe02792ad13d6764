/**
 * erasures: one document per customer whose erasure was decided, written before the
 * tombstone and never changed or removed (ADR 0007: erasure on the owner of the customer).
 * Holds what the tombstone and its announcements are made of, so whoever finds it can
 * finish the erasure: no PII (the reason is the one CustomerErased carries).
 */
export interface ErasureMarker {
  _id: string;
  erasedAt: string;
  erasedBy: string;
  reason?: string;
  /** Erased here (HTTP): CustomerErased is ours to announce; erased from the log: it was announced already. */
  announceErased: boolean;
  /** Customers merged into this one when it was erased: their keys and look-ups go too. */
  mergedFrom?: string[];
}

/** Erasure markers (STYLE.md rule 3: the port; the adapter is in infrastructure/). */
export abstract class ErasureMarkers {
  /** Records the decision (an insert by `_id`: the first one stands); answers the marker that stands. */
  abstract record(marker: ErasureMarker): Promise<ErasureMarker>;
  /** These customers' markers, each read by `_id` straight from the database. */
  abstract find(customerIds: readonly string[]): Promise<Map<string, ErasureMarker>>;
}
