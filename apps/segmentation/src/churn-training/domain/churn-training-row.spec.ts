import { ChurnTrainingDataError, parseChurnTrainingRows } from './churn-training-row';

const good = { customerId: 'C1', asOf: '2026-03-31T23:59:59+08:00', features: { txnCount30d: 3, aumMinor: 500_000, lastActivityAt: '2026-03-01T10:00:00Z', latestCsat: 4 }, churned: false };
const line = (over: Record<string, unknown>, features: Record<string, unknown> = {}) => JSON.stringify({ ...good, ...over, features: { ...good.features, ...features } });

function failure(jsonl: string): ChurnTrainingDataError {
  try {
    parseChurnTrainingRows(jsonl);
  } catch (error) {
    if (error instanceof ChurnTrainingDataError) return error;
    throw error;
  }
  throw new Error('parsed without an error');
}

describe('parseChurnTrainingRows (train:churn’s JSONL)', () => {
  it('reads each non-blank line as a row, the features as the churn model reads them, unknown fields ignored', () => {
    const rows = parseChurnTrainingRows(`${line({})}\n\n${line({ customerId: 'C2', churned: true }, { complaints90d: 2, productsHeld: ['DEPOSIT_CURRENT'] })}\n`);
    expect(rows.map((r) => [r.customerId, r.churned, r.features.complaints90d])).toEqual([
      ['C1', false, undefined],
      ['C2', true, 2],
    ]);
  });

  it.each([
    ['not JSON', '{"customerId": "C1",', 1, '', 'line 1: not JSON'],
    ['not an object', '[1, 2]', 1, '', 'line 1: must be a JSON object'],
    ['no customerId', line({ customerId: undefined }), 1, 'customerId', 'line 1: customerId must be a string'],
    ['asOf without an offset', line({ asOf: '2026-03-31' }), 1, 'asOf', 'line 1: asOf must be an ISO-8601 date-time with an offset'],
    ['churned as a string', line({ churned: 'yes' }), 1, 'churned', 'line 1: churned must be a boolean value'],
    ['no features', JSON.stringify({ ...good, features: undefined }), 1, 'features', 'line 1: features should not be null or undefined'],
    ['a negative count', line({}, { txnCount30d: -1 }), 1, 'features.txnCount30d', 'line 1: features.txnCount30d must not be less than 0'],
    ['a fractional amount', line({}, { aumMinor: 10.5 }), 1, 'features.aumMinor', 'line 1: features.aumMinor must be an integer number'],
    ['CSAT out of 1–5', line({}, { latestCsat: 6 }), 1, 'features.latestCsat', 'line 1: features.latestCsat must not be greater than 5'],
    ['a required feature missing', line({}, { txnCount30d: undefined }), 1, 'features.txnCount30d', 'line 1: features.txnCount30d must not be less than 0'],
    ['a bad line after good and blank ones', `${line({})}\n\n${line({}, { complaints90d: 'two' })}`, 3, 'features.complaints90d', 'line 3: features.complaints90d must be an integer number'],
  ])('refuses %s, naming the line and field', (_, jsonl, lineNumber, field, message) => {
    const error = failure(jsonl);
    expect(error.line).toBe(lineNumber);
    expect(error.field).toBe(field);
    expect(error.message).toContain(message);
  });
});
