import { Injectable } from '@nestjs/common';
import { MetricsService } from '@meridian/shared';
import { Counter, Gauge } from 'prom-client';
import { RollMetrics, RollProgress } from '../application/ports/roll-records.port';

@Injectable()
export class PrometheusRollMetrics implements RollMetrics {
  private readonly customers: Counter<'outcome'>;
  private readonly events: Counter;
  private readonly partitions: Gauge<'state'>;

  constructor(metrics: MetricsService) {
    this.customers = new Counter({ name: 'meridian_profile_roll_customers_total', help: 'Customers the day roll read from the due index (read) and whose profile it changed (rolled)', labelNames: ['outcome'], registers: [metrics.registry] });
    this.events = new Counter({ name: 'meridian_profile_roll_events_total', help: 'ProfileUpdated the day roll published', registers: [metrics.registry] });
    this.partitions = new Gauge({ name: 'meridian_profile_roll_partitions', help: 'Partitions of the running (or last) day roll, done and in all', labelNames: ['state'], registers: [metrics.registry] });
  }

  stepDone(added: RollProgress): void {
    this.customers.inc({ outcome: 'read' }, added.read);
    this.customers.inc({ outcome: 'rolled' }, added.rolled);
    this.events.inc(added.published);
  }

  partitionsDone(done: number, of: number): void {
    this.partitions.set({ state: 'done' }, done);
    this.partitions.set({ state: 'total' }, of);
  }
}
