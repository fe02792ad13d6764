import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, MongooseHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/auth.guard';
import { KafkaHealthIndicator, RedisHealthIndicator } from './health.indicators';

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly mongo: MongooseHealthIndicator,
    private readonly kafka: KafkaHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  /** Readiness: 200 when Kafka, MongoDB and Redis answer; 503 naming the one that does not. */
  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness of Kafka, MongoDB and Redis' })
  ready() {
    return this.health.check([
      () => this.kafka.check('kafka'),
      () => this.mongo.pingCheck('mongodb', { timeout: 2_000 }),
      () => this.redis.check('redis'),
    ]);
  }

  /** Liveness: the process answers. Dependencies are readiness concerns, never a reason to restart. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness of the process' })
  live() {
    return { status: 'ok' };
  }
}
