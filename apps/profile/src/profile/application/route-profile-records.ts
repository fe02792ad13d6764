import { BatchOutcome, BatchRecord, deadLetterReason } from '@meridian/events/kafka';
import { FOLDED_TYPES } from '../domain/fold-event';
import { offsetKey } from '../domain/offset-key';
import { ProfileRecord } from './profile-record';

/** Ticket events the timeline shows; only SatisfactionRecorded changes the profile. */
const TIMELINE_ONLY = new Set(['TicketOpened', 'TicketAssigned', 'TicketEscalated', 'TicketResolved', 'TicketClosed']);
const GOVERNANCE = new Set(['IdentityMerged', 'IdentityUnmerged', 'CustomerErased']);

/**
 * Which use case a record of a run goes to: events a profile folds or shows (they must
 * carry customerId) to the fold, governance events to erasure or rebuild, one by one;
 * undecodable records are rejected (dead-lettered, never retried: STYLE.md rule 10), and
 * everything else is skipped.
 */
export function routeProfileRecords(records: readonly BatchRecord[]): { outcomes: BatchOutcome[]; folds: ProfileRecord[]; governance: ProfileRecord[] } {
  const outcomes: BatchOutcome[] = records.map(() => ({ status: 'skipped' }));
  const folds: ProfileRecord[] = [];
  const governance: ProfileRecord[] = [];
  records.forEach((record, index) => {
    if (!record.decoded.ok) {
      outcomes[index] = { status: 'rejected', reason: deadLetterReason(record.decoded) };
      return;
    }
    const envelope = record.decoded.envelope;
    const item: ProfileRecord = { index, record, envelope, customerId: envelope.customerId ?? '', source: offsetKey(record.context.topic, record.context.partition), offset: Number(record.context.offset) };
    if (FOLDED_TYPES.has(envelope.type) || TIMELINE_ONLY.has(envelope.type)) {
      if (!envelope.customerId) {
        const reason = deadLetterReason({ code: 'REJECTED', message: `${envelope.type} on a crm topic must carry customerId`, field: 'customerId', rule: 'isDefined' });
        outcomes[index] = { status: 'rejected', reason };
      }
      else folds.push(item);
    } else if (GOVERNANCE.has(envelope.type)) governance.push(item);
  });
  return { outcomes, folds, governance };
}
