import { residentId } from '@meridian/events/testing';
import { csvRowToEnvelope, headerProblems } from './customer-csv';

const defaults = { occurredAt: '2026-11-25T10:00:00Z', asOf: '2026-11-25' };
const row = {
  sourceSystem: 'core-banking',
  sourceCustomerId: 'CB-1',
  idType: 'RESIDENT_ID',
  idNumber: residentId(),
  name: '李四',
  customerType: 'PERSONAL',
  branchId: 'BR001',
  phone: '',
  consent_sms: 'Y',
  consent_email: 'no',
  consent_profiling: '1',
};

describe('customer import rows', () => {
  it('maps a row to a CustomerUpserted envelope, empty cells absent, consents as booleans', () => {
    const result = csvRowToEnvelope(row, defaults);
    expect(result).toEqual({
      envelope: {
        eventId: expect.stringMatching(/^csv-[0-9a-f]{40}$/),
        type: 'CustomerUpserted',
        schemaVersion: 1,
        occurredAt: defaults.occurredAt,
        source: 'core-banking',
        payload: {
          sourceSystem: 'core-banking',
          sourceCustomerId: 'CB-1',
          idType: 'RESIDENT_ID',
          idNumber: row.idNumber,
          name: '李四',
          customerType: 'PERSONAL',
          branchId: 'BR001',
          consents: { marketing: { sms: true, email: false }, profiling: true },
        },
      },
    });
  });

  it('derives the same eventId from the same content, another from other content', () => {
    const a = csvRowToEnvelope(row, defaults) as { envelope: { eventId: string } };
    const b = csvRowToEnvelope({ ...row }, { ...defaults, occurredAt: '2030-01-01T00:00:00Z' }) as { envelope: { eventId: string } };
    const c = csvRowToEnvelope({ ...row, name: '王五' }, defaults) as { envelope: { eventId: string } };
    expect(a.envelope.eventId).toBe(b.envelope.eventId); // the same file sent again
    expect(c.envelope.eventId).not.toBe(a.envelope.eventId);
    // A later file whose row went back to these values (李四 → 王五 → 李四) is a new event, not a duplicate of the first.
    const reverted = csvRowToEnvelope({ ...row }, { ...defaults, asOf: '2026-11-27' }) as { envelope: { eventId: string } };
    expect(reverted.envelope.eventId).not.toBe(a.envelope.eventId);
    // The row's own time, when the file has one, is its time.
    const own = (at: string, asOf: string) => (csvRowToEnvelope({ ...row, occurredAt: at }, { ...defaults, asOf }) as { envelope: { eventId: string } }).envelope.eventId;
    expect(own('2026-11-20T09:00:00+08:00', '2026-11-25')).toBe(own('2026-11-20T09:00:00+08:00', '2026-11-27'));
    expect(own('2026-11-20T09:00:00+08:00', '2026-11-25')).not.toBe(own('2026-11-21T09:00:00+08:00', '2026-11-25'));
    expect((csvRowToEnvelope({ ...row, eventId: 'E-42' }, defaults) as { envelope: { eventId: string } }).envelope.eventId).toBe('E-42');
  });

  it('names a consent that is not a boolean', () => {
    expect(csvRowToEnvelope({ ...row, consent_wechat: 'maybe' }, defaults)).toEqual({
      errors: [{ field: 'consent_wechat', rule: 'isBoolean', message: 'consent_wechat must be true/false, yes/no, y/n or 1/0' }],
    });
  });

  it('refuses a header with unknown, repeated or missing columns', () => {
    expect(headerProblems(Object.keys(row))).toEqual([]);
    const problems = headerProblems(['sourceSystem', 'sourceCustomerId', 'idType', 'idNumbr', 'name', 'name', 'customerType']);
    expect(problems.map((p) => `${p.field}:${p.rule}`)).toEqual(['idNumbr:isKnownColumn', 'name:isUniqueColumn', 'idNumber:isRequiredColumn', 'branchId:isRequiredColumn']);
  });
});
