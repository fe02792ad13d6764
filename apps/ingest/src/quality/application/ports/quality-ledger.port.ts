import type { DataQualityAlert } from '@meridian/events';
import type { QualityCounts } from '../../domain/quality-window';

/** quality_alerts: every DataQualityAlert raised, for the report and the audit. */
export interface QualityAlertDoc extends DataQualityAlert {
  _id: string;
  raisedAt: Date;
}

/**
 * Data-quality counts and alerts as the monitor sees them (STYLE.md rule 3: a port, bound in
 * app.module.ts to infrastructure/quality.store.ts): counts shared by every ingest instance
 * over the window, one alert per rule and window, alerts kept for the report.
 */
export abstract class QualityLedger {
  abstract add(bySource: ReadonlyMap<string, QualityCounts>, at: Date): Promise<void>;
  /** The window ending at `at`, per source asked (default: every source seen in it). */
  abstract windows(at: Date, sources?: readonly string[]): Promise<Map<string, QualityCounts>>;
  /** True once per (source, field, rule) and window: the alert is not repeated for every batch. */
  abstract claimAlert(source: string, field: string, rule: string): Promise<boolean>;
  abstract saveAlert(alert: QualityAlertDoc): Promise<void>;
  abstract recentAlerts(limit?: number): Promise<QualityAlertDoc[]>;
}
