import { MasterKeyRingRecord, masterKeyRingVerdict, retireRewrappedKeys } from './master-key-ring';

const [A, B, C, X] = ['a'.repeat(64), 'b'.repeat(64), 'c'.repeat(64), 'f'.repeat(64)];
const ring = (check: string, retiring: string[] = [], retired: string[] = []): MasterKeyRingRecord => ({ check, retiring, retired });
const variables = (v: ReturnType<typeof masterKeyRingVerdict>) => v.problems.map((p) => p.variable);

describe('masterKeyRingVerdict (ADR 0008: which master keys a start may run with)', () => {
  it.each([
    // stored, current, previous, record after, changed, variables named
    ['a first start records its key', undefined, A, [], ring(A), true, []],
    ['a first start with a previous key names it (the data knows no key)', undefined, A, [X], ring(A), true, ['FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS']],
    ['the same key runs', ring(A), A, [], ring(A), false, []],
    ['another key, the old one not listed: the wrong key', ring(A), B, [], ring(A), false, ['FIELD_ENCRYPTION_MASTER_KEY']],
    ['another key, an unknown one listed: the wrong key', ring(A), B, [X], ring(A), false, ['FIELD_ENCRYPTION_MASTER_KEY']],
    ['B with A listed begins the rotation: A is retiring', ring(A), B, [A], ring(B, [A]), true, []],
    ['during the rotation, B with A listed runs', ring(B, [A]), B, [A], ring(B, [A]), false, []],
    ['during the rotation, A removed too early is named', ring(B, [A]), B, [], ring(B, [A]), false, ['FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS']],
    ['during the rotation, an unknown previous key is named', ring(B, [A]), B, [A, X], ring(B, [A]), false, ['FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS']],
    ['both wrong at once: both named', ring(B, [A]), B, [X], ring(B, [A]), false, ['FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS', 'FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS']],
    ['after the re-wrap, B alone runs', ring(B, [], [A]), B, [], ring(B, [], [A]), false, []],
    ['after the re-wrap, A still listed is harmless', ring(B, [], [A]), B, [A], ring(B, [], [A]), false, []],
    ['a second rotation before the first finished keeps both retiring', ring(B, [A]), C, [B, A], ring(C, [A, B]), true, []],
    ['a second rotation needs the first one’s key too', ring(B, [A]), C, [B], ring(C, [A, B]), true, ['FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS']],
    ['rolling back to A (B listed) mid-rotation: B retiring, A current', ring(B, [A]), A, [B], ring(A, [B]), true, []],
    ['rotating back to a retired key takes it out of retired', ring(B, [], [A]), A, [B], ring(A, [B], []), true, []],
  ] as const)('%s', (_what, stored, current, previous, record, changed, named) => {
    const verdict = masterKeyRingVerdict(stored, { current, previous });
    expect(variables(verdict)).toEqual(named);
    if (!named.includes('FIELD_ENCRYPTION_MASTER_KEY' as never)) expect(verdict.record).toEqual(record);
    expect(verdict.changed).toBe(changed);
  });

  it('names the keys by a short id, never more of them than their check value', () => {
    const verdict = masterKeyRingVerdict(ring(B, [A]), { current: B, previous: [] });
    expect(verdict.problems[0].message).toContain('aaaaaaaaaaaa…');
    expect(verdict.problems[0].message).toContain('GET /v1/admin/keys/rewrap');
  });
});

describe('retireRewrappedKeys', () => {
  it('retires every retiring key once the run under the current key walked all data keys', () => {
    expect(retireRewrappedKeys(ring(C, [A, B], [X]), C)).toEqual(ring(C, [], [X, A, B]));
    expect(retireRewrappedKeys(ring(B), B)).toEqual(ring(B));
  });

  it('retires nothing when the service rotated again after the run began', () => {
    expect(retireRewrappedKeys(ring(C, [A, B]), B)).toBeUndefined();
  });
});
