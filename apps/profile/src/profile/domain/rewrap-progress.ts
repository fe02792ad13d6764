/**
 * The master key re-wrap job's progress (ADR 0008), pure: a run under the current key walks
 * `data_keys` twice in `_id` order — a census of the data keys each other master key still
 * wraps (so progress can say what remains), then the re-wrap — and its checkpoint says where
 * it is, so a run stopped or crashed anywhere resumes from the last batch it recorded.
 */
export type RewrapPhase = 'census' | 'rewrap' | 'done';

export interface RewrapCheckpoint {
  /** The key id (check value) of the master key the run wraps under. */
  target: string;
  /** Which run: a new run starts the walk over, a resumed one continues it. */
  runId: string;
  phase: RewrapPhase;
  /** The last customerId the phase handled ('' = from the start). */
  after: string;
  /** Data keys found under each other master key id by the census. */
  census: Record<string, number>;
  /** Data keys re-wrapped from each master key id. */
  rewrapped: Record<string, number>;
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
}

/** A data key as the walk sees it: whose, and which master key wraps it. */
export interface WalkedDataKey {
  customerId: string;
  masterKeyId: string;
}

export interface RewrapBatchPlan<K extends WalkedDataKey = WalkedDataKey> {
  /** The data keys to re-wrap now (rewrap phase; none in the census). */
  rewrap: K[];
  /** Where the walk continues once the batch is done. */
  phase: RewrapPhase;
  after: string;
}

export interface RewrapKeyProgress {
  keyId: string;
  /** Found by the census (may grow while the census runs). */
  dataKeys: number;
  rewrapped: number;
  remaining: number;
}

export function startRewrap(target: string, runId: string, at: string): RewrapCheckpoint {
  return { target, runId, phase: 'census', after: '', census: {}, rewrapped: {}, startedAt: at, updatedAt: at };
}

/** The checkpoint to continue from: the stored one if it belongs to this run, else a fresh walk. */
export function resumeRewrap(stored: RewrapCheckpoint | undefined, target: string, runId: string, at: string): RewrapCheckpoint {
  return stored && stored.target === target && stored.runId === runId ? stored : startRewrap(target, runId, at);
}

/**
 * What to do with one batch of the walk (in `_id` order, at most `batchSize`): in the census
 * nothing; in the re-wrap phase, every data key not under the target. A short batch ends the
 * phase: the census hands over to the re-wrap walk from the start, the re-wrap to done.
 */
export function planRewrapBatch<K extends WalkedDataKey>(checkpoint: RewrapCheckpoint, batch: readonly K[], batchSize: number): RewrapBatchPlan<K> {
  const last = batch.length ? batch[batch.length - 1].customerId : checkpoint.after;
  const ended = batch.length < batchSize;
  if (checkpoint.phase === 'census') return { rewrap: [], phase: ended ? 'rewrap' : 'census', after: ended ? '' : last };
  if (checkpoint.phase === 'done') return { rewrap: [], phase: 'done', after: checkpoint.after };
  return { rewrap: batch.filter((k) => k.masterKeyId !== checkpoint.target), phase: ended ? 'done' : 'rewrap', after: last };
}

/** The checkpoint after a batch: the census counted, the re-wraps that were written counted (a data key erased meanwhile is not). */
export function recordRewrapBatch(
  checkpoint: RewrapCheckpoint,
  batch: readonly WalkedDataKey[],
  plan: RewrapBatchPlan,
  rewritten: readonly WalkedDataKey[],
  at: string,
): RewrapCheckpoint {
  const census = { ...checkpoint.census };
  if (checkpoint.phase === 'census') for (const k of batch) if (k.masterKeyId !== checkpoint.target) census[k.masterKeyId] = (census[k.masterKeyId] ?? 0) + 1;
  const rewrapped = { ...checkpoint.rewrapped };
  for (const k of rewritten) rewrapped[k.masterKeyId] = (rewrapped[k.masterKeyId] ?? 0) + 1;
  const next: RewrapCheckpoint = { ...checkpoint, phase: plan.phase, after: plan.after, census, rewrapped, updatedAt: at };
  if (plan.phase === 'done') next.finishedAt = at;
  return next;
}

/**
 * Done and remaining per master key id. Once the walk is done nothing remains under any other
 * key, whatever was erased or created meanwhile; before, remaining is what the census found
 * less what was re-wrapped.
 */
export function rewrapProgress(checkpoint: RewrapCheckpoint): RewrapKeyProgress[] {
  const ids = [...new Set([...Object.keys(checkpoint.census), ...Object.keys(checkpoint.rewrapped)])].sort();
  return ids.map((keyId) => {
    const dataKeys = checkpoint.census[keyId] ?? 0;
    const rewrapped = checkpoint.rewrapped[keyId] ?? 0;
    return { keyId, dataKeys, rewrapped, remaining: checkpoint.phase === 'done' ? 0 : Math.max(0, dataKeys - rewrapped) };
  });
}
