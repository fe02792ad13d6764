import type { EnvelopeInit, ProfileUpdated } from '@meridian/events';
import { OutgoingEvent } from '@meridian/events/kafka';
import { nextWindowChange } from '../domain/next-window-change';
import { ProfileRules } from '../domain/profile-rules';
import { changedFields, snapshotOf } from '../domain/profile-snapshot';
import { ProfileState } from '../domain/profile-state';
import { rollProfile } from '../domain/roll-profile';
import { AnnouncementCause, announceProfile } from './profile-announcement';

/** The cause of a roll's announcements: its instant (`roll-20261201T003000000Z`), the same on every run of it. */
export function rollCause(asOf: string): AnnouncementCause {
  const at = new Date(asOf).toISOString();
  const eventId = `roll-${at.replace(/[-:.]/g, '')}`;
  return { eventId, occurredAt: at, correlationId: eventId };
}

export interface RolledProfile {
  /** The profile at the roll's instant, one version up; none when no figure changed (then nothing is written). */
  next?: ProfileState;
  announcement?: OutgoingEvent;
  /** When a windowed figure next changes, counted from the roll's instant. */
  dueAt?: string;
}

/**
 * A due profile at the roll's instant (issue 10, point 5): time alone moved its windows.
 * Written, and announced with the roll's instant as its time, only when a figure other
 * than `asOf` itself changed; a profile already at or past the instant changes nothing.
 * Mutates `state`.
 */
export function rollCustomer(state: ProfileState, asOf: string, rules: ProfileRules, dueChecks: number): RolledProfile {
  const before = snapshotOf(structuredClone(state), rules);
  rollProfile(state, asOf, rules);
  const after = snapshotOf(state, rules);
  const dueAt = nextWindowChange(state, rules, dueChecks);
  const changed = changedFields(before, after);
  if (!changed.some((field) => field !== 'asOf')) return { dueAt };
  state.version++;
  return { next: state, announcement: announceProfile(state, after.features, changed, rollCause(asOf)), dueAt };
}

/** A stored announcement this roll made (a crash came between its write and its publish): sent again, same eventId. */
export function isRollAnnouncement(envelope: EnvelopeInit, asOf: string, version: number): boolean {
  return envelope.type === 'ProfileUpdated' && envelope.causationId === rollCause(asOf).eventId && (envelope.payload as ProfileUpdated).version === version;
}
