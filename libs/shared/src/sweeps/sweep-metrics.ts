import { Counter, Gauge, Registry } from 'prom-client';
import { SweepCounts } from './partitioned-sweep';

/** A sweep's progress on /metrics: `<name>_total{count}` as steps add up, `<name>_partitions{state}` of the running (or last) one. */
export class SweepMetricsRecorder {
  private readonly counts: Counter<'count'>;
  private readonly partitions: Gauge<'state'>;

  constructor(registry: Registry, name: string, help: string) {
    this.counts = new Counter({ name: `${name}_total`, help, labelNames: ['count'], registers: [registry] });
    this.partitions = new Gauge({ name: `${name}_partitions`, help: 'Partitions of the running (or last) one, done and in all', labelNames: ['state'], registers: [registry] });
  }

  stepDone(added: SweepCounts): void {
    for (const [count, n] of Object.entries(added)) this.counts.inc({ count }, n);
  }

  partitionsDone(done: number, of: number): void {
    this.partitions.set({ state: 'done' }, done);
    this.partitions.set({ state: 'total' }, of);
  }
}
