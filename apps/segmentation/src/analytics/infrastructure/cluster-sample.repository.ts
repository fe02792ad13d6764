import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { nativeCollection } from '@meridian/shared';
import type { Connection } from 'mongoose';
import { ClusterSample, ClusterSampleStore, SampledState } from '../application/ports/cluster-sample-store.port';

const ID = 'current';
const BATCH = 1_000;

/** Stored flat (one array of numbers, `width` per vector): a few hundred kB for 5,000 customers, well under a document's 16 MB. */
type SampleDoc = Omit<ClusterSample, 'vectors'> & { _id: string; width: number; values: number[] };

/** What the pass reads of a state document: the fields the vector needs (no PII is in segment_states; the id is never read). */
const PROJECTION = { _id: 0, status: 1, 'facts.rfm': 1, 'facts.churnScore': 1, 'facts.aumMinor': 1, 'facts.productsHeld': 1, 'facts.byChannel90d': 1 };

/** segment_cluster_sample: one document by `_id` (ADR 0005); the pass reads segment_states through one cursor. */
@Injectable()
export class ClusterSampleRepository implements ClusterSampleStore {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get samples() {
    return nativeCollection<SampleDoc>(this.connection, 'segment_cluster_sample');
  }

  async load(): Promise<ClusterSample | undefined> {
    const doc = await this.samples.findOne({ _id: ID });
    if (!doc) return undefined;
    const { _id, width, values, ...rest } = doc;
    const vectors = Array.from({ length: width ? values.length / width : 0 }, (_, i) => values.slice(i * width, (i + 1) * width));
    return { ...rest, vectors };
  }

  async takenAt(): Promise<string | undefined> {
    return (await this.samples.findOne({ _id: ID }, { projection: { takenAt: 1 } }))?.takenAt;
  }

  async save({ vectors, ...rest }: ClusterSample): Promise<void> {
    const width = rest.features.length;
    await this.samples.replaceOne({ _id: ID }, { ...rest, width, values: vectors.flat() }, { upsert: true });
  }

  async forEachActiveState(visit: (state: SampledState) => void): Promise<number> {
    const states = nativeCollection<{ _id: string; status: string } & SampledState>(this.connection, 'segment_states');
    let read = 0;
    for await (const doc of states.find({}, { projection: PROJECTION, batchSize: BATCH })) {
      read++;
      if (doc.status === 'ACTIVE' && doc.facts) visit(doc);
    }
    return read;
  }
}
