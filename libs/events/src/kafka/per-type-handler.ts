import type { EventEnvelope } from '../envelope/event-envelope';
import type { BatchOutcome, BatchRecord, EventHandler, RunHandler } from './consumer-types';
import type { IdempotencyGuard } from './ports';

export interface PerTypeHandlerOptions {
  /** Event type → handler; a type without one is skipped. */
  handlers: Map<string, EventHandler>;
  /** Consulted before a handler, recorded after the run: keys are `<groupId>:<eventId>`. */
  guard?: IdempotencyGuard;
  groupId: string;
  around: <T>(envelope: EventEnvelope, run: () => Promise<T>) => Promise<T>;
}

/**
 * Per-type (`@EventPattern`) handlers as a run handler, so they go through the runner's one
 * pipeline — retries, isolation, outage detection, dead letters — exactly as batch handlers
 * do (the runner hands them runs of one record). The guard is written after the run has
 * settled, outside the handler's retries: a guard that cannot be written gets the record
 * redelivered, never run again at once nor dead-lettered.
 */
export function perTypeHandler({ handlers, guard, groupId, around }: PerTypeHandlerOptions): RunHandler {
  const guardKey = (record: BatchRecord) => (record.decoded.ok ? `${groupId}:${record.decoded.envelope.eventId}` : '');
  return {
    handle: async (records) => {
      const outcomes: BatchOutcome[] = [];
      for (const record of records) {
        const handler = record.decoded.ok ? handlers.get(record.decoded.envelope.type) : undefined;
        if (!record.decoded.ok || !handler) outcomes.push({ status: 'skipped' });
        else if (guard && (await guard.isApplied(guardKey(record)))) outcomes.push({ status: 'duplicate' });
        else {
          const envelope = record.decoded.envelope;
          await around(envelope, () => handler(envelope, record.context));
          outcomes.push({ status: 'applied' });
        }
      }
      return outcomes;
    },
    afterApplied: guard
      ? async (records) => {
          for (const record of records) await guard.markApplied(guardKey(record));
        }
      : undefined,
  };
}
