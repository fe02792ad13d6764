import { dropTestMongo, testMongo, uniqueName } from '@meridian/shared/testing';
import { Connection } from 'mongoose';
import { ErasureMarker } from '../application/ports/erasure-markers.port';
import { ErasureMarkerRepository } from './erasure-marker.repository';

/** Erasure markers against a real MongoDB-wire server: insert-only, the first decision stands (ADR 0007). */
describe('ErasureMarkerRepository (real MongoDB-wire server)', () => {
  let mongo: Connection;
  let markers: ErasureMarkerRepository;

  beforeAll(async () => {
    mongo = await testMongo('profile_erasures');
    markers = new ErasureMarkerRepository(mongo);
  });

  afterAll(() => dropTestMongo(mongo));

  it('concurrent decisions agree on the first one recorded, and find reads them back by id', async () => {
    const id = uniqueName('C').toUpperCase();
    const other = uniqueName('C').toUpperCase();
    const decision = (erasedBy: string): ErasureMarker => ({ _id: id, erasedAt: `2026-03-30T0${erasedBy.length % 10}:00:00.000Z`, erasedBy, announceErased: true });
    const standing = await Promise.all(['admin-a', 'admin-bb', 'admin-ccc'].map((by) => markers.record(decision(by))));
    expect(new Set(standing.map((m) => m.erasedBy)).size).toBe(1);
    expect(await markers.record(decision('admin-late'))).toEqual(standing[0]);
    const found = await markers.find([id, other, id]);
    expect([...found.keys()]).toEqual([id]);
    expect(found.get(id)).toEqual(standing[0]);
  });
});
