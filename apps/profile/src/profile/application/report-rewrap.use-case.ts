import { Injectable } from '@nestjs/common';
import { RewrapKeyProgress, RewrapPhase, rewrapProgress } from '../domain/rewrap-progress';
import { DataKeyRewrap } from './ports/data-key-rewrap.port';
import { RewrapRecords } from './ports/rewrap-records.port';

/** GET /v1/admin/keys/rewrap: where master key rotation stands (ADR 0008). Key ids are check values, never keys. */
export interface RewrapStatus {
  currentKeyId: string;
  previousKeyIds: string[];
  /** Previous keys that may still wrap data keys: a start without one of them refuses to run. */
  stillNeeded: string[];
  /** Previous keys configured that no data key needs any more: they can be removed from FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS. */
  removable: string[];
  /** The latest run under the current key, if any. */
  run: null | { runId: string; phase: RewrapPhase; startedAt: string; updatedAt: string; finishedAt?: string; keys: RewrapKeyProgress[] };
}

@Injectable()
export class ReportRewrapUseCase {
  constructor(
    private readonly dataKeys: DataKeyRewrap,
    private readonly records: RewrapRecords,
  ) {}

  async execute(): Promise<RewrapStatus> {
    const currentKeyId = this.dataKeys.currentKeyId();
    const previousKeyIds = this.dataKeys.previousKeyIds();
    const [checkpoint, stillNeeded] = await Promise.all([this.records.checkpoint(currentKeyId), this.records.stillWrapping()]);
    return {
      currentKeyId,
      previousKeyIds,
      stillNeeded,
      removable: previousKeyIds.filter((id) => !stillNeeded.includes(id)),
      run: checkpoint
        ? { runId: checkpoint.runId, phase: checkpoint.phase, startedAt: checkpoint.startedAt, updatedAt: checkpoint.updatedAt, finishedAt: checkpoint.finishedAt, keys: rewrapProgress(checkpoint) }
        : null,
    };
  }
}
