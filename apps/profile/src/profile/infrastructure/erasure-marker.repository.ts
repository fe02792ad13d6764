import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { insertNew, mapLimit, nativeCollection } from '@meridian/shared';
import type { Connection } from 'mongoose';
import { ErasureMarker, ErasureMarkers } from '../application/ports/erasure-markers.port';

/**
 * Erasure markers on MongoDB (ADR 0007): an insert with a unique `_id` is the one write
 * both MongoDB 7 and FerretDB v1 arbitrate atomically, and an `_id` look-up the one read
 * FerretDB serves from an index — it runs after every fold, so it must be cheap.
 */
@Injectable()
export class ErasureMarkerRepository implements ErasureMarkers {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get markers() {
    return nativeCollection<ErasureMarker>(this.connection, 'erasures');
  }

  async record(marker: ErasureMarker): Promise<ErasureMarker> {
    if (!(await insertNew(this.markers, [marker])).size) return marker;
    const standing = await this.markers.findOne({ _id: marker._id });
    if (!standing) throw new Error(`erasure marker of ${marker._id} vanished`);
    return standing;
  }

  async find(customerIds: readonly string[]): Promise<Map<string, ErasureMarker>> {
    const found = await mapLimit([...new Set(customerIds)], 16, (id) => this.markers.findOne({ _id: id }));
    return new Map(found.filter((m): m is ErasureMarker => !!m).map((m) => [m._id, m]));
  }
}
