import { Injectable } from '@nestjs/common';
import { MetricsService } from '@meridian/shared';
import { Counter, Gauge } from 'prom-client';
import { SweepMetrics } from '../application/ports/sweep-metrics.port';
import { SweepProgress } from '../application/ports/sweep-records.port';

@Injectable()
export class PrometheusSweepMetrics implements SweepMetrics {
  private readonly customers: Counter<'outcome'>;
  private readonly events: Counter;
  private readonly partitions: Gauge<'state'>;

  constructor(metrics: MetricsService) {
    this.customers = new Counter({ name: 'meridian_segment_sweep_customers_total', help: 'Customers the sweep read from the due index (read) and moved forward in time (evaluated)', labelNames: ['outcome'], registers: [metrics.registry] });
    this.events = new Counter({ name: 'meridian_segment_sweep_events_total', help: 'crm.segment.v1 events the sweep published', registers: [metrics.registry] });
    this.partitions = new Gauge({ name: 'meridian_segment_sweep_partitions', help: 'Partitions of the running (or last) sweep, done and in all', labelNames: ['state'], registers: [metrics.registry] });
  }

  stepDone(added: SweepProgress): void {
    this.customers.inc({ outcome: 'read' }, added.read);
    this.customers.inc({ outcome: 'evaluated' }, added.evaluated);
    this.events.inc(added.published);
  }

  partitionsDone(done: number, of: number): void {
    this.partitions.set({ state: 'done' }, done);
    this.partitions.set({ state: 'total' }, of);
  }
}
