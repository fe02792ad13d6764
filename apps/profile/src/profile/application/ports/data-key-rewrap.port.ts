import type { WalkedDataKey } from '../../domain/rewrap-progress';

/** A data key as stored, for the re-wrap: the wrapped form it was read with guards the write. */
export interface StoredDataKey extends WalkedDataKey {
  wrappedKey: string;
}

/** The data keys seen by the master key re-wrap job (ADR 0008; STYLE.md rule 3: the port of `DataKeyRewrapStore`). */
export abstract class DataKeyRewrap {
  /** The id (check value) of the master key new data keys are wrapped under: FIELD_ENCRYPTION_MASTER_KEY. */
  abstract currentKeyId(): string;
  /** The ids of FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS. */
  abstract previousKeyIds(): string[];
  /** Every data key after `after`, in `_id` order, in batches of `batchSize`: one cursor for the whole walk. */
  abstract walk(after: string, batchSize: number): AsyncIterable<StoredDataKey[]>;
  /** Re-wraps these data keys under the current master key; answers those written (a key erased meanwhile is not). */
  abstract rewrap(keys: readonly StoredDataKey[]): Promise<StoredDataKey[]>;
}
