import { Injectable } from '@nestjs/common';
import { MetricsService } from '@meridian/shared';
import { Counter, Gauge } from 'prom-client';
import { DerivedDataMetrics } from '../application/ports/derived-data.port';

@Injectable()
export class PrometheusDerivedDataMetrics implements DerivedDataMetrics {
  private readonly builtGauge: Gauge;
  private readonly states: Gauge;
  private readonly rebuilds: Counter<'outcome'>;

  constructor(metrics: MetricsService) {
    this.builtGauge = new Gauge({ name: 'meridian_segment_derived_built', help: 'Whether the counters, member sets and due index derived from segment_states are built (0 while missing or being rebuilt: consumption held)', registers: [metrics.registry] });
    this.states = new Gauge({ name: 'meridian_segment_derived_rebuild_states', help: 'Segment states read by the running (or last) rebuild of the derived data', registers: [metrics.registry] });
    this.rebuilds = new Counter({ name: 'meridian_segment_derived_rebuilds_total', help: 'Rebuilds of the derived data this instance ran: done, failed, or superseded by another instance', labelNames: ['outcome'], registers: [metrics.registry] });
  }

  built(yes: boolean): void {
    this.builtGauge.set(yes ? 1 : 0);
  }

  progress(states: number): void {
    this.states.set(states);
  }

  finished(outcome: 'done' | 'failed' | 'superseded'): void {
    this.rebuilds.inc({ outcome });
  }
}
