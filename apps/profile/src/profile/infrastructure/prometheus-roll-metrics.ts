import { Injectable } from '@nestjs/common';
import { MetricsService, SweepMetricsRecorder } from '@meridian/shared';
import { RollMetrics } from '../application/ports/roll-records.port';

/** `meridian_profile_roll_total{count=read|rolled|published}` and `meridian_profile_roll_partitions{state=done|total}`. */
@Injectable()
export class PrometheusRollMetrics extends SweepMetricsRecorder implements RollMetrics {
  constructor(metrics: MetricsService) {
    super(metrics.registry, 'meridian_profile_roll', 'Day roll: customers read from the due index (read), profiles changed (rolled), ProfileUpdated published');
  }
}
