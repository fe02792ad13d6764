import { Injectable } from '@nestjs/common';
import type { ConsumeOutcome, ConsumerMetrics } from '@meridian/events/kafka';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One Prometheus registry per service: process defaults plus the consumer runner's
 * messages consumed, handler latency, dead letters and lag (the autoscaling signal of k8s/).
 */
@Injectable()
export class MetricsService implements ConsumerMetrics {
  readonly registry = new Registry();
  private readonly consumedTotal: Counter<'topic' | 'type' | 'outcome'>;
  private readonly handlerDuration: Histogram<'topic' | 'type'>;
  private readonly deadLetterTotal: Counter<'topic' | 'code'>;
  private readonly consumerLag: Gauge<'topic' | 'partition'>;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry, prefix: 'meridian_' });
    this.consumedTotal = new Counter({
      name: 'meridian_messages_consumed_total',
      help: 'Kafka records consumed, by topic, event type and outcome',
      labelNames: ['topic', 'type', 'outcome'],
      registers: [this.registry],
    });
    this.handlerDuration = new Histogram({
      name: 'meridian_handler_duration_seconds',
      help: 'Time spent in event handlers, per attempt',
      labelNames: ['topic', 'type'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.deadLetterTotal = new Counter({
      name: 'meridian_deadletter_total',
      help: 'Records sent to crm.deadletter.v1, by source topic and reason code',
      labelNames: ['topic', 'code'],
      registers: [this.registry],
    });
    this.consumerLag = new Gauge({
      name: 'meridian_consumer_lag',
      help: 'Records behind the partition high watermark, as of the last record processed',
      labelNames: ['topic', 'partition'],
      registers: [this.registry],
    });
  }

  consumed(topic: string, type: string, outcome: ConsumeOutcome): void {
    this.consumedTotal.inc({ topic, type, outcome });
  }

  handlerSeconds(topic: string, type: string, seconds: number): void {
    this.handlerDuration.observe({ topic, type }, seconds);
  }

  deadLettered(topic: string, code: string): void {
    this.deadLetterTotal.inc({ topic, code });
  }

  lag(topic: string, partition: number, lag: number): void {
    this.consumerLag.set({ topic, partition: String(partition) }, lag);
  }
}
