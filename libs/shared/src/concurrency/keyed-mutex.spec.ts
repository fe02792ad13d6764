import fc from 'fast-check';
import { KeyedMutex } from './keyed-mutex';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('KeyedMutex', () => {
  it('never runs two pieces of work for one key at once (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uniqueArray(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 30 }), async (jobs) => {
        const mutex = new KeyedMutex();
        const busy = new Set<string>();
        await Promise.all(
          jobs.map((keys) =>
            mutex.run(keys, async () => {
              for (const k of keys) {
                expect(busy.has(k)).toBe(false);
                busy.add(k);
              }
              await tick();
              for (const k of keys) busy.delete(k);
            }),
          ),
        );
        expect(mutex.size).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('runs work for other keys meanwhile', async () => {
    const mutex = new KeyedMutex();
    const started: string[] = [];
    let releaseA!: () => void;
    const a = mutex.run('a', async () => {
      started.push('a');
      await new Promise<void>((r) => (releaseA = r));
    });
    const b = mutex.run('b', async () => void started.push('b'));
    await b;
    expect(started).toEqual(['a', 'b']);
    releaseA();
    await a;
  });

  it('releases the key when the work throws', async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.run('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await mutex.run('a', async () => 42)).toBe(42);
    expect(mutex.size).toBe(0);
  });
});
