import { EventEnvelope } from '@meridian/events';
import { BatchOutcome, BatchRecord, deadLetterReason } from '@meridian/events/kafka';

/**
 * A run's records of one event type, and each record's outcome: those of the type applied (the
 * caller applies them all at once), other types skipped, what does not decode dead-lettered.
 */
export function ofType<P>(records: readonly BatchRecord[], type: string): { envelopes: EventEnvelope<P>[]; outcomes: BatchOutcome[] } {
  const envelopes: EventEnvelope<P>[] = [];
  const outcomes: BatchOutcome[] = records.map((record) => {
    if (!record.decoded.ok) return { status: 'rejected', reason: deadLetterReason(record.decoded) };
    if (record.decoded.envelope.type !== type) return { status: 'skipped' };
    envelopes.push(record.decoded.envelope as EventEnvelope<P>);
    return { status: 'applied' };
  });
  return { envelopes, outcomes };
}
