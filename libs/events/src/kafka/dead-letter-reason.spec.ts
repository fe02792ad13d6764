import { createHmac } from 'node:crypto';
import { validateSync } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { DeadLetterReason } from '../topics/crm-deadletter/dead-letter.event';
import { deadLetterReason } from './dead-letter-reason';
import { PermanentEventError } from './ports';

function nodeError(): unknown {
  try {
    createHmac('sha256', 'k').update(undefined as unknown as string); // ERR_INVALID_ARG_TYPE, as a blind index on a missing field
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('deadLetterReason: every cause gives a reason the contract accepts', () => {
  it.each<[string, unknown, Partial<DeadLetterReason>]>([
    ['a decoding failure', { ok: false, code: 'INVALID_PAYLOAD', message: 'bad id', errors: [{ field: 'payload.idNumber', rule: 'isPrcResidentId', message: 'm' }] }, { code: 'INVALID_PAYLOAD', field: 'payload.idNumber', rule: 'isPrcResidentId' }],
    ['a stated rejection', { code: 'REJECTED', message: 'no customerId', field: 'customerId', rule: 'isDefined' }, { code: 'REJECTED', field: 'customerId', rule: 'isDefined' }],
    ['a PermanentEventError', new PermanentEventError('closed', 'payload.branchId', 'branchOpen'), { code: 'REJECTED', field: 'payload.branchId', rule: 'branchOpen' }],
    ['a plain Error', new Error('store unavailable'), { code: 'HANDLER_FAILED', message: 'store unavailable' }],
    ["a Node error with its own code (ERR_INVALID_ARG_TYPE)", nodeError(), { code: 'HANDLER_FAILED' }],
    ['an object with an unknown code', { code: 'ECONNREFUSED', message: 'refused' }, { code: 'HANDLER_FAILED' }],
    ['a thrown string', 'boom', { code: 'HANDLER_FAILED', message: 'boom' }],
    ['an over-long message, field and rule', { code: 'REJECTED', message: 'x'.repeat(9000), field: 'f'.repeat(400), rule: 'r'.repeat(300) }, { code: 'REJECTED' }],
  ])('%s', (_name, cause, expected) => {
    const built = deadLetterReason(cause);
    expect(built).toMatchObject(expected);
    expect(validateSync(plainToInstance(DeadLetterReason, built))).toEqual([]);
  });
});
