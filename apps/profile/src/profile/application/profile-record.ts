import { EventEnvelope } from '@meridian/events';
import { BatchRecord } from '@meridian/events/kafka';
import { ProfileEvent } from '../domain/fold-event';

/** A decoded record of a run, with where it came from (its position decides redelivery, ADR 0007). */
export interface ProfileRecord {
  /** Its position in the run: where its outcome goes. */
  index: number;
  record: BatchRecord;
  envelope: EventEnvelope;
  /** The customer the event is stamped with (crm topics always carry one; checked on arrival). */
  customerId: string;
  /** `topic|partition` (offsetKey). */
  source: string;
  offset: number;
}

export function toProfileEvent(envelope: EventEnvelope): ProfileEvent {
  return { eventId: envelope.eventId, type: envelope.type, occurredAt: envelope.occurredAt, payload: envelope.payload };
}

/** A customer's data key from a map the caller filled; its absence is a bug, not a state. */
export function requireKey(keys: ReadonlyMap<string, Buffer>, customerId: string): Buffer {
  const key = keys.get(customerId);
  if (!key) throw new Error(`no data key loaded for ${customerId}`);
  return key;
}
