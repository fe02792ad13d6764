import { Injectable } from '@nestjs/common';
import { MetricsService } from '@meridian/shared';
import { Counter, Gauge } from 'prom-client';
import { BatchMetrics, BatchTally } from '../application/ports/batch-runs.port';

/** A batch run's progress in `/metrics`: customers decided by outcome, and partitions done of all, by campaign. */
@Injectable()
export class PrometheusBatchMetrics implements BatchMetrics {
  private readonly customers: Counter<'outcome'>;
  private readonly partitions: Gauge<'campaign' | 'state'>;

  constructor(metrics: MetricsService) {
    this.customers = new Counter({ name: 'meridian_campaign_batch_customers_total', help: 'Customers a scheduled campaign’s batch run read (read) and what was decided for them', labelNames: ['outcome'], registers: [metrics.registry] });
    this.partitions = new Gauge({ name: 'meridian_campaign_batch_partitions', help: 'Partitions of a campaign’s batch run, done and in all', labelNames: ['campaign', 'state'], registers: [metrics.registry] });
  }

  stepDone(tally: BatchTally): void {
    for (const [outcome, n] of Object.entries(tally)) if (n) this.customers.inc({ outcome }, n);
  }

  partitionsDone(campaign: string, done: number, of: number): void {
    this.partitions.set({ campaign, state: 'done' }, done);
    this.partitions.set({ campaign, state: 'total' }, of);
  }
}
