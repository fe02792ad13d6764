import { PartitionedSweep, SweepCheckpoint, SweepCheckpoints, SweepLease } from './partitioned-sweep';

type Counts = { read: number; moved: number };

/** Checkpoints and a lease held in memory: the engine's own logic, without servers (those are the services' int-specs). */
function memory(partitions: number) {
  const docs = new Map<string, SweepCheckpoint<Counts>>();
  const checkpoints: SweepCheckpoints<Counts> = {
    begin: async (asOf, p, startedAt) => docs.get(asOf) ?? docs.set(asOf, { _id: asOf, asOf, partitions: p, partitionsDone: [], startedAt, read: 0, moved: 0 }).get(asOf)!,
    get: async (id) => docs.get(id),
    partitionDone: async (id, partition, added) => {
      const d = docs.get(id)!;
      docs.set(id, { ...d, partitionsDone: [...new Set([...d.partitionsDone, partition])], read: d.read + added.read, moved: d.moved + added.moved });
    },
    finish: async (id, finishedAt) => void docs.set(id, { ...docs.get(id)!, finishedAt }),
    unfinished: async () => [...docs.values()].filter((d) => !d.finishedAt).sort((a, b) => (a._id < b._id ? -1 : 1)),
  };
  let holder: string | undefined;
  let n = 0;
  const lease: SweepLease & { lapse(): void } = {
    acquire: async () => (holder ? undefined : (holder = `t${++n}`)),
    renew: async (token) => holder === token,
    release: async (token) => void (holder === token && (holder = undefined)),
    lapse: () => void (holder = 'someone else'),
  };
  /** Three ids due per partition, taken two at a time; each leaves the due set when stepped. */
  const due = new Map(Array.from({ length: partitions }, (_, p) => [p, [`a${p}`, `b${p}`, `c${p}`]]));
  const stepped: string[] = [];
  return { docs, checkpoints, lease, due, stepped };
}

function sweepOf(m: ReturnType<typeof memory>, partitions: number, step?: (ids: string[]) => void) {
  return new PartitionedSweep<Counts>({
    name: 'test sweep',
    checkpoints: m.checkpoints,
    lease: m.lease,
    partitions,
    leaseMs: 40,
    now: () => new Date('2026-06-01T00:00:00Z'),
    due: async (p) => (m.due.get(p) ?? []).slice(0, 2),
    step: async (ids) => {
      step?.(ids);
      m.stepped.push(...ids);
      for (const [p, list] of m.due) m.due.set(p, list.filter((id) => !ids.includes(id)));
      return { read: ids.length, moved: ids.filter((id) => id.startsWith('a')).length };
    },
    zero: () => ({ read: 0, moved: 0 }),
  });
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('PartitionedSweep', () => {
  it('sweeps every partition a step at a time, checkpoints what each added, and lets the lease go', async () => {
    const m = memory(3);
    const started = await sweepOf(m, 3).start('2026-06-01T08:00:00+08:00');
    expect(started._id).toBe('2026-06-01T00:00:00.000Z');
    await settle();
    expect(m.docs.get(started._id)).toMatchObject({ partitionsDone: [0, 1, 2], read: 9, moved: 3, finishedAt: '2026-06-01T00:00:00.000Z' });
    expect(await m.lease.acquire()).toBeDefined();
  });

  it('answers 409 while another holds the lease', async () => {
    const m = memory(1);
    await m.lease.acquire();
    await expect(sweepOf(m, 1).start('2026-06-01T00:00:00Z')).rejects.toMatchObject({ status: 409 });
  });

  it('a sweep stopped mid-way (its lease lost) resumes at its first partition not done', async () => {
    const m = memory(3);
    let steps = 0;
    const first = sweepOf(m, 3, () => {
      if (++steps === 3) m.lease.lapse(); // the first step of partition 1: renewing fails after it
    });
    const started = await first.start('2026-06-01T00:00:00Z');
    await settle();
    expect(m.docs.get(started._id)).toMatchObject({ partitionsDone: [0], read: 3 });
    expect(m.docs.get(started._id)?.finishedAt).toBeUndefined();

    await m.lease.release('someone else'); // the other holder's lease ran out
    await sweepOf(m, 3).resumeUnfinished(() => false);
    // The step done before the stop left the due set; a partition's counts are checkpointed with it, so that step's are not.
    expect(m.docs.get(started._id)).toMatchObject({ partitionsDone: [0, 1, 2], read: 7 });
    expect(m.docs.get(started._id)?.finishedAt).toBeDefined();
    // Partition 0 was not read again.
    expect(m.stepped.filter((id) => id.endsWith('0'))).toHaveLength(3);
  });
});
