import { Injectable } from '@nestjs/common';
import { MetricsService } from '@meridian/shared';
import { Counter } from 'prom-client';
import type { DuplicateKey } from '../domain/dedup-verdicts';
import { IntakeDoor, IntakeMetrics } from '../application/ports/intake-metrics.port';

/**
 * `meridian_ingest_duplicates_total{door, key}` on the service's registry (GET /metrics),
 * beside the runner's `meridian_messages_consumed_total{outcome="duplicate"}`, which counts
 * Kafka duplicates without saying which key matched.
 */
@Injectable()
export class PrometheusIntakeMetrics implements IntakeMetrics {
  private readonly duplicates: Counter<'door' | 'key'>;

  constructor(metrics: MetricsService) {
    this.duplicates = new Counter({
      name: 'meridian_ingest_duplicates_total',
      help: 'Records ingest answered duplicate (not published again), by the door they came through and the key that matched: eventId, transactionId or interactionId (with sourceSystem)',
      labelNames: ['door', 'key'],
      registers: [metrics.registry],
    });
  }

  duplicate(door: IntakeDoor, key: DuplicateKey): void {
    this.duplicates.inc({ door, key });
  }
}
