import type { DuplicateKey } from '../../domain/dedup-verdicts';

/** The way a record came in: what a duplicate is counted under. */
export type IntakeDoor = 'kafka' | 'http' | 'csv';

/**
 * Counters of the intake pipeline (STYLE.md rule 3: a port, bound in app.module.ts to
 * infrastructure/prometheus-intake-metrics.ts): duplicates by the door they came through and
 * the key that matched, so a core system re-exporting under new eventIds shows as
 * `transactionId` duplicates, not as new business.
 */
export abstract class IntakeMetrics {
  abstract duplicate(door: IntakeDoor, key: DuplicateKey): void;
}
