/**
 * segment_definitions: one document per segment (`_id` = its id, `seg-…`), few enough to be
 * read whole. `version` counts its writes (1 when created; an edit or the delete adds one);
 * a deleted segment stays as a tombstone (`deletedAt`) until its members have left it.
 */
export interface SegmentDefinitionDoc {
  _id: string;
  name: string;
  description?: string;
  rule: Record<string, unknown>;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy?: string;
  updatedBy?: string;
  deletedAt?: string;
}

/** Segment definitions (STYLE.md rule 3: the port): the documents, and an edition every instance checks to know they changed. */
export abstract class SegmentDefinitions {
  /** Every definition, tombstones included. */
  abstract all(): Promise<SegmentDefinitionDoc[]>;
  abstract get(segmentId: string): Promise<SegmentDefinitionDoc | undefined>;
  /** Writes if the stored version is still `previousVersion` (undefined: a new definition); false when another writer came first. */
  abstract save(doc: SegmentDefinitionDoc, previousVersion: number | undefined): Promise<boolean>;
  /** A token that moves on every write, on any instance (read on every rule-book look-up). */
  abstract edition(): Promise<string>;
  /** Moves the edition: called after each write. */
  abstract bump(): Promise<void>;
}
