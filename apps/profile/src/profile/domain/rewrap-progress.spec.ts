import fc from 'fast-check';
import { RewrapCheckpoint, WalkedDataKey, planRewrapBatch, recordRewrapBatch, resumeRewrap, rewrapProgress, startRewrap } from './rewrap-progress';

const [A, B, T] = ['key-a', 'key-b', 'key-t'];
const at = '2026-12-01T09:00:00.000Z';
const keys = (...specs: Array<[string, string]>): WalkedDataKey[] => specs.map(([customerId, masterKeyId]) => ({ customerId, masterKeyId }));

/** Runs the walk over `all` (sorted by customerId) in batches, as the use case does, with every planned re-wrap written. */
function walk(all: WalkedDataKey[], batchSize: number, from: RewrapCheckpoint = startRewrap(T, 'r1', at)): RewrapCheckpoint {
  let checkpoint = from;
  const store = new Map(all.map((k) => [k.customerId, k.masterKeyId]));
  while (checkpoint.phase !== 'done') {
    const batch = [...store].filter(([id]) => id > checkpoint.after).slice(0, batchSize).map(([customerId, masterKeyId]) => ({ customerId, masterKeyId }));
    const plan = planRewrapBatch(checkpoint, batch, batchSize);
    for (const k of plan.rewrap) store.set(k.customerId, T);
    checkpoint = recordRewrapBatch(checkpoint, batch, plan, plan.rewrap, at);
  }
  return checkpoint;
}

describe('rewrap progress (ADR 0008)', () => {
  it.each([
    // phase, batch, batch size, to re-wrap, next phase, next after
    ['census, full batch: counts, nothing re-wrapped, continues', 'census', keys(['C1', A], ['C2', T]), 2, [], 'census', 'C2'],
    ['census, short batch: the re-wrap walk starts over', 'census', keys(['C3', B]), 2, [], 'rewrap', ''],
    ['census, empty batch: the re-wrap walk starts over', 'census', [], 2, [], 'rewrap', ''],
    ['re-wrap, full batch: only keys not under the target', 'rewrap', keys(['C1', A], ['C2', T]), 2, ['C1'], 'rewrap', 'C2'],
    ['re-wrap, short batch: done', 'rewrap', keys(['C3', B]), 2, ['C3'], 'done', 'C3'],
  ] as const)('%s', (_what, phase, batch, size, rewrap, nextPhase, nextAfter) => {
    const checkpoint = { ...startRewrap(T, 'r1', at), phase, after: 'C0' } as RewrapCheckpoint;
    const plan = planRewrapBatch(checkpoint, batch, size);
    expect(plan.rewrap.map((k) => k.customerId)).toEqual(rewrap);
    expect([plan.phase, plan.after]).toEqual([nextPhase, nextAfter]);
  });

  it('counts per key id what the census found and what was re-wrapped; remaining is their difference until done', () => {
    let cp = startRewrap(T, 'r1', at);
    const census = keys(['C1', A], ['C2', A], ['C3', B], ['C4', T]);
    cp = recordRewrapBatch(cp, census, planRewrapBatch(cp, census, 10), [], at);
    expect(cp.phase).toBe('rewrap');
    const first = keys(['C1', A], ['C2', A]);
    const plan = planRewrapBatch(cp, first, 2);
    cp = recordRewrapBatch(cp, first, plan, plan.rewrap.slice(0, 1), at); // C2 was erased meanwhile: not written
    expect(rewrapProgress(cp)).toEqual([
      { keyId: A, dataKeys: 2, rewrapped: 1, remaining: 1 },
      { keyId: B, dataKeys: 1, rewrapped: 0, remaining: 1 },
    ]);
    const last = keys(['C3', B], ['C4', T]);
    const end = planRewrapBatch(cp, last, 3);
    cp = recordRewrapBatch(cp, last, end, end.rewrap, '2026-12-01T09:05:00.000Z');
    expect(cp.finishedAt).toBe('2026-12-01T09:05:00.000Z');
    expect(rewrapProgress(cp).map((p) => p.remaining)).toEqual([0, 0]);
  });

  it('resumes the stored checkpoint of the same run, starts over for another run or another target', () => {
    const stored = { ...startRewrap(T, 'r1', at), phase: 'rewrap' as const, after: 'C9' };
    expect(resumeRewrap(stored, T, 'r1', 'later')).toBe(stored);
    expect(resumeRewrap(stored, T, 'r2', 'later')).toEqual(startRewrap(T, 'r2', 'later'));
    expect(resumeRewrap(stored, 'other', 'r1', 'later').after).toBe('');
    expect(resumeRewrap(undefined, T, 'r1', 'later').phase).toBe('census');
  });

  it('whatever the keys and the batch size, a walk — stopped and resumed anywhere — leaves every key under the target and counts each once', () => {
    const arbitraryKeys = fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 4 }), fc.constantFrom(A, B, T)), { selector: ([id]) => id, maxLength: 40 });
    fc.assert(
      fc.property(arbitraryKeys, fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 20 }), (specs, size, stopAfter) => {
        const all = keys(...specs).sort((x, y) => (x.customerId < y.customerId ? -1 : 1));
        // Stop after `stopAfter` batches (the process died after recording them), then resume from the checkpoint.
        let cp = startRewrap(T, 'r1', at);
        const store = new Map(all.map((k) => [k.customerId, k.masterKeyId]));
        for (let i = 0; i < stopAfter && cp.phase !== 'done'; i++) {
          const batch = [...store].filter(([id]) => id > cp.after).slice(0, size).map(([customerId, masterKeyId]) => ({ customerId, masterKeyId }));
          const plan = planRewrapBatch(cp, batch, size);
          for (const k of plan.rewrap) store.set(k.customerId, T);
          cp = recordRewrapBatch(cp, batch, plan, plan.rewrap, at);
        }
        const resumed = walk([...store].map(([customerId, masterKeyId]) => ({ customerId, masterKeyId })), size, cp);
        const expected = { [A]: all.filter((k) => k.masterKeyId === A).length, [B]: all.filter((k) => k.masterKeyId === B).length };
        for (const id of [A, B]) {
          expect(resumed.census[id] ?? 0).toBe(expected[id]);
          expect(resumed.rewrapped[id] ?? 0).toBe(expected[id]);
        }
        expect(rewrapProgress(resumed).every((p) => p.remaining === 0)).toBe(true);
      }),
    );
  });
});
