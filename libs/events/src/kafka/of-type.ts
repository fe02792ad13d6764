import type { EventEnvelope } from '../envelope/event-envelope';
import { deadLetterReason } from './dead-letter-reason';
import type { BatchOutcome, BatchRecord } from './consumer-types';

/**
 * A run's records of the event types a handler applies, and each record's outcome: those of
 * the types applied (the caller applies them all at once), other types skipped, what does not
 * decode dead-lettered.
 */
export function ofType<P>(records: readonly BatchRecord[], ...types: string[]): { envelopes: EventEnvelope<P>[]; outcomes: BatchOutcome[] } {
  const envelopes: EventEnvelope<P>[] = [];
  const outcomes: BatchOutcome[] = records.map((record) => {
    if (!record.decoded.ok) return { status: 'rejected', reason: deadLetterReason(record.decoded) };
    if (!types.includes(record.decoded.envelope.type)) return { status: 'skipped' };
    envelopes.push(record.decoded.envelope as EventEnvelope<P>);
    return { status: 'applied' };
  });
  return { envelopes, outcomes };
}
