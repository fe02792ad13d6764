import { BatchOutcome } from '@meridian/events/kafka';

/** A Kafka record the service desk cannot apply: dead-lettered as REJECTED, naming the field and the rule. */
export const refusedRecord = (message: string, field: string, rule: string): BatchOutcome => ({ status: 'rejected', reason: { code: 'REJECTED', message, field, rule } });
