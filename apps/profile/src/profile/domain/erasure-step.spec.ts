import { ErasureStep, StoredProfileVersion, erasureStep } from './erasure-step';

describe('erasure step: what an erasure still has to do once it is decided', () => {
  it.each<{ case: string; stored?: StoredProfileVersion; announcedUpTo?: number; step: ErasureStep<StoredProfileVersion> }>([
    { case: 'a customer with no profile gets a first tombstone', step: { write: 'tombstone', version: 1 } },
    { case: 'a live profile is tombstoned at its next version', stored: { status: 'ACTIVE', version: 7 }, step: { write: 'tombstone', version: 8 } },
    { case: 'a pointer is tombstoned too (the marker was there first)', stored: { status: 'MERGED', version: 3 }, step: { write: 'tombstone', version: 4 } },
    { case: 'a tombstone stands when nothing was announced', stored: { status: 'ERASED', version: 9 }, step: { write: 'none', tombstone: { status: 'ERASED', version: 9 } } },
    { case: 'a tombstone stands over an older announcement', stored: { status: 'ERASED', version: 9 }, announcedUpTo: 8, step: { write: 'none', tombstone: { status: 'ERASED', version: 9 } } },
    { case: 'a tombstone at the announced version is written again above it', stored: { status: 'ERASED', version: 9 }, announcedUpTo: 9, step: { write: 'tombstone', version: 10 } },
    { case: 'a tombstone below a newer announcement is written above it', stored: { status: 'ERASED', version: 5 }, announcedUpTo: 12, step: { write: 'tombstone', version: 13 } },
    { case: 'a fold that overwrote the tombstone at a lower version than it announced: above both', stored: { status: 'ACTIVE', version: 6 }, announcedUpTo: 11, step: { write: 'tombstone', version: 12 } },
    { case: 'a live profile newer than the announcement: above the profile', stored: { status: 'ACTIVE', version: 14 }, announcedUpTo: 11, step: { write: 'tombstone', version: 15 } },
  ])('$case', ({ stored, announcedUpTo, step }) => {
    expect(erasureStep(stored, announcedUpTo)).toEqual(step);
  });
});
