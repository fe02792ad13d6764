import { Injectable, Logger } from '@nestjs/common';
import { DataQualityAlert, TOPICS } from '@meridian/events';
import { EventPublisher, newEnvelope } from '@meridian/events/kafka';
import { IngestConfig } from '../../config/ingest.config';
import { QualityCounts, RuleRate, emptyCounts, observe, ruleRates } from '../domain/quality-window';
import { QualityAlertDoc, QualityLedger } from './ports/quality-ledger.port';
import { stableId } from '../../common/stable-id';

/** One record's outcome as data quality sees it. */
export interface QualityObservation {
  source: string;
  failed: ReadonlyArray<{ field: string; rule: string }>;
}

export interface SourceQuality {
  source: string;
  records: number;
  rejected: number;
  rejectionRate: number;
  rules: RuleRate[];
}

export interface QualityReport {
  asOf: string;
  windowMinutes: number;
  minRecords: number;
  threshold: number;
  sources: SourceQuality[];
  recentAlerts: Array<Omit<QualityAlertDoc, '_id' | 'raisedAt'> & { alertId: string; raisedAt: string }>;
}

/**
 * Watches every record that comes in, by Kafka, HTTP or CSV (DOMAIN.md: data quality):
 * counts rule failures per source and field, and raises a DataQualityAlert on
 * crm.governance.v1 — the "a region's age field is wrong in bulk" case — once per rule and
 * window.
 */
@Injectable()
export class QualityMonitor {
  private readonly logger = new Logger(QualityMonitor.name);

  constructor(
    private readonly store: QualityLedger,
    private readonly publisher: EventPublisher,
    private readonly config: IngestConfig,
  ) {}

  private get limits() {
    return { minRecords: this.config.INGEST_QUALITY_MIN_RECORDS, threshold: this.config.INGEST_QUALITY_THRESHOLD };
  }

  /**
   * Counts a batch's outcomes and raises the alerts now due. Best effort: the records are
   * already applied or rejected, so a counting failure is logged, not retried into a
   * second application.
   */
  async record(observations: readonly QualityObservation[], at: Date): Promise<DataQualityAlert[]> {
    try {
      const bySource = new Map<string, QualityCounts>();
      for (const o of observations) {
        const counts = bySource.get(o.source) ?? emptyCounts();
        observe(counts, o.failed);
        bySource.set(o.source, counts);
      }
      await this.store.add(bySource, at);
      const failing = [...bySource].filter(([, c]) => c.rejected > 0).map(([s]) => s);
      if (!failing.length) return [];
      const raised: DataQualityAlert[] = [];
      const windowStart = new Date(at.getTime() - this.config.INGEST_QUALITY_WINDOW_MINUTES * 60_000);
      for (const [source, window] of await this.store.windows(at, failing)) {
        for (const rate of ruleRates(window, this.limits)) {
          if (!rate.alerting || !(await this.store.claimAlert(source, rate.field, rate.rule))) continue;
          const alert: DataQualityAlert = {
            source,
            field: rate.field,
            rule: rate.rule,
            rate: Math.round(rate.rate * 10_000) / 10_000,
            window: { records: window.records, failures: rate.failures, from: windowStart.toISOString(), to: at.toISOString() },
          };
          const eventId = stableId('Q', source, rate.field, rate.rule, at.toISOString());
          await this.publisher.publish(TOPICS.governance, newEnvelope('DataQualityAlert', alert, { eventId, source: 'meridian-ingest', occurredAt: at.toISOString() }));
          await this.store.saveAlert({ _id: eventId, raisedAt: at, ...alert });
          this.logger.warn(`data-quality alert: ${source} ${rate.field} ${rate.rule} at ${(rate.rate * 100).toFixed(1)} % of ${window.records} records`);
          raised.push(alert);
        }
      }
      return raised;
    } catch (error) {
      this.logger.warn(`data-quality counting failed: ${(error as Error).message}`);
      return [];
    }
  }

  async report(at: Date): Promise<QualityReport> {
    const windows = await this.store.windows(at);
    const alerts = await this.store.recentAlerts();
    return {
      asOf: at.toISOString(),
      windowMinutes: this.config.INGEST_QUALITY_WINDOW_MINUTES,
      ...this.limits,
      sources: [...windows]
        .filter(([, w]) => w.records > 0)
        .map(([source, w]) => ({
          source,
          records: w.records,
          rejected: w.rejected,
          rejectionRate: w.records ? w.rejected / w.records : 0,
          rules: ruleRates(w, this.limits),
        }))
        .sort((a, b) => a.source.localeCompare(b.source)),
      recentAlerts: alerts.map(({ _id, raisedAt, ...a }) => ({ alertId: _id, ...a, raisedAt: raisedAt.toISOString() })),
    };
  }
}
