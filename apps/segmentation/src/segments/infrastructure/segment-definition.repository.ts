import { Inject, Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { REDIS, insertNew, nativeCollection } from '@meridian/shared';
import type Redis from 'ioredis';
import type { Connection } from 'mongoose';
import { SegmentationConfig } from '../../config/segmentation.config';
import { SegmentDefinitionDoc, SegmentDefinitions } from '../application/ports/segment-definitions.port';
import { LiveDerivedKeys } from './derived-keys';

/** As stored: the rule as JSON text, since its keys (`$gte`, dotted paths) are not field names a document may hold everywhere. */
type StoredDefinition = Omit<SegmentDefinitionDoc, 'rule'> & { ruleJson: string };

const stored = ({ rule, ...rest }: SegmentDefinitionDoc): StoredDefinition => ({ ...rest, ruleJson: JSON.stringify(rule) });
const read = ({ ruleJson, ...rest }: StoredDefinition): SegmentDefinitionDoc => ({ ...rest, rule: JSON.parse(ruleJson) as Record<string, unknown> });

/**
 * segment_definitions on MongoDB (by `_id`, or read whole: a bank defines tens of segments,
 * not millions), and their edition as a Redis counter (`seg:definitions:version`), INCR'd
 * after each write, so every instance's rule book sees a change with one read. The edition
 * also carries the derived data's marker (ADR 0009): a Redis that lost its data restarts the
 * counter at 0, and a number seen before must not pass for the rule book it named then.
 */
@Injectable()
export class SegmentDefinitionRepository implements SegmentDefinitions {
  private readonly editionKey: string;
  private readonly markerKey: string;

  constructor(
    @InjectConnection() private readonly connection: Connection,
    @Inject(REDIS) private readonly redis: Redis,
    config: SegmentationConfig,
  ) {
    this.editionKey = `${config.redisPrefix}seg:definitions:version`;
    this.markerKey = new LiveDerivedKeys(config.redisPrefix).marker;
  }

  private get definitions() {
    return nativeCollection<StoredDefinition>(this.connection, 'segment_definitions');
  }

  async all(): Promise<SegmentDefinitionDoc[]> {
    return (await this.definitions.find({}).sort({ _id: 1 }).toArray()).map(read);
  }

  async get(segmentId: string): Promise<SegmentDefinitionDoc | undefined> {
    const doc = await this.definitions.findOne({ _id: segmentId });
    return doc ? read(doc) : undefined;
  }

  async save(doc: SegmentDefinitionDoc, previousVersion: number | undefined): Promise<boolean> {
    if (previousVersion === undefined) return (await insertNew(this.definitions, [stored(doc)])).size === 0;
    const { _id, ...rest } = stored(doc);
    return (await this.definitions.replaceOne({ _id, version: previousVersion }, rest)).matchedCount === 1;
  }

  async edition(): Promise<string> {
    const [counter, marker] = await this.redis.mget(this.editionKey, this.markerKey);
    return `${counter ?? '0'}|${marker ?? ''}`;
  }

  async bump(): Promise<void> {
    await this.redis.incr(this.editionKey);
  }
}
