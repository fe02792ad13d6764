import { Inject, Injectable } from '@nestjs/common';
import { REDIS } from '@meridian/shared';
import type Redis from 'ioredis';
import { CampaignConfig } from '../../config/campaign.config';
import { campaignKeys } from '../../redis-keys';
import { CatalogueVersions } from '../application/ports/catalogue-versions.port';

/** The catalogue's version as a Redis counter (`<prefix>cmp:catalogue:version`): one GET a batch of triggers. */
@Injectable()
export class RedisCatalogueVersions implements CatalogueVersions {
  private readonly key: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: CampaignConfig,
  ) {
    this.key = campaignKeys(config.redisPrefix).catalogueVersion();
  }

  async current(): Promise<number> {
    return Number((await this.redis.get(this.key)) ?? 0);
  }

  bump(): Promise<number> {
    return this.redis.incr(this.key);
  }
}
