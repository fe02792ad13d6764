import { BusinessKey } from './business-key';
import { DedupCandidate, KnownClaim, dedupClaims, dedupVerdicts } from './dedup-verdicts';

const key = (id: string, fingerprint: string): BusinessKey => ({ id: `TransactionPosted ["core","${id}"]`, field: 'transactionId', fingerprint });
const rec = (eventId: string, txn?: string, fingerprint = 'f1'): DedupCandidate => ({ eventId, ...(txn ? { businessKey: key(txn, fingerprint) } : {}) });
const K = (txn: string) => key(txn, '').id;

describe('dedupClaims', () => {
  it('claims every eventId and each business key once, with the content of its first record', () => {
    expect(dedupClaims([rec('e1', 'T1', 'f1'), rec('e2'), rec('e3', 'T1', 'f2'), rec('e4', 'T2', 'f3')])).toEqual([
      { id: 'e1' },
      { id: K('T1'), fingerprint: 'f1' },
      { id: 'e2' },
      { id: 'e3' },
      { id: 'e4' },
      { id: K('T2'), fingerprint: 'f3' },
    ]);
  });
});

describe('dedupVerdicts (issue 9, point 6: counted once, whatever the envelope)', () => {
  const cases: Array<[string, DedupCandidate[], Array<[string, KnownClaim]>, unknown[]]> = [
    ['new records are applied', [rec('e1', 'T1'), rec('e2')], [], [{ kind: 'apply' }, { kind: 'apply' }]],
    ['an eventId done before is a duplicate by eventId', [rec('e1', 'T1')], [['e1', { customerId: 'C1' }], [K('T1'), { fingerprint: 'f1' }]], [{ kind: 'duplicate', key: 'eventId', customerId: 'C1' }]],
    ['the same transaction under a new eventId is a duplicate by transactionId', [rec('e2', 'T1', 'f1')], [[K('T1'), { fingerprint: 'f1', customerId: 'C1' }]], [{ kind: 'duplicate', key: 'transactionId', customerId: 'C1' }]],
    ['the same transactionId with other content is a conflict', [rec('e2', 'T1', 'f2')], [[K('T1'), { fingerprint: 'f1' }]], [{ kind: 'conflict', field: 'transactionId', fingerprint: 'f1' }]],
    ['twice in one batch: the first applies, the second repeats it', [rec('e1', 'T1'), rec('e2', 'T1')], [], [{ kind: 'apply' }, { kind: 'duplicate', key: 'transactionId', of: 'e1' }]],
    ['twice in one batch with other content: the second conflicts', [rec('e1', 'T1', 'f1'), rec('e2', 'T1', 'f2')], [], [{ kind: 'apply' }, { kind: 'conflict', field: 'transactionId', fingerprint: 'f1' }]],
    [
      'a batch repeating a known transaction: each later record is judged against what was taken on',
      [rec('e2', 'T1', 'f2'), rec('e3', 'T1', 'f1')],
      [[K('T1'), { fingerprint: 'f1', customerId: 'C1' }]],
      [{ kind: 'conflict', field: 'transactionId', fingerprint: 'f1' }, { kind: 'duplicate', key: 'transactionId', customerId: 'C1' }],
    ],
    [
      'the first record a duplicate by eventId: later ones must match what it carried',
      [rec('e1', 'T1', 'f1'), rec('e2', 'T1', 'f1'), rec('e3', 'T1', 'f9')],
      [['e1', { customerId: 'C1' }]],
      [{ kind: 'duplicate', key: 'eventId', customerId: 'C1' }, { kind: 'duplicate', key: 'transactionId', customerId: 'C1' }, { kind: 'conflict', field: 'transactionId', fingerprint: 'f1' }],
    ],
    ['records without a business key are judged by eventId alone', [rec('e1'), rec('e2')], [['e1', {}]], [{ kind: 'duplicate', key: 'eventId' }, { kind: 'apply' }]],
  ];

  it.each(cases)('%s', (_what, candidates, known, expected) => {
    expect(dedupVerdicts(candidates, new Map(known))).toEqual(expected);
  });

  it('names interactionId for an interaction', () => {
    const interaction: DedupCandidate = { eventId: 'e2', businessKey: { id: 'InteractionRecorded ["cc","I1"]', field: 'interactionId', fingerprint: 'g2' } };
    expect(dedupVerdicts([interaction], new Map([['InteractionRecorded ["cc","I1"]', { fingerprint: 'g1' }]]))).toEqual([{ kind: 'conflict', field: 'interactionId', fingerprint: 'g1' }]);
  });
});
