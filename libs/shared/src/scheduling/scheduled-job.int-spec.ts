import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { testServers, uniqueName, waitFor } from '../testing';
import { ScheduledJob } from './scheduled-job';

/** BullMQ against the real Redis: a recurring job runs once per occurrence, however many instances schedule it. */
describe('ScheduledJob (real Redis)', () => {
  it('runs every interval, once per occurrence across two instances, and stops cleanly', async () => {
    const prefix = `${uniqueName('sched')}:`;
    let runs = 0;
    let concurrent = 0;
    let overlapped = false;
    const run = async () => {
      concurrent++;
      if (concurrent > 1) overlapped = true;
      runs++;
      await new Promise((r) => setTimeout(r, 50));
      concurrent--;
    };
    const a = new ScheduledJob({ name: 'sweep', everyMs: 400, redisUrl: testServers().redisUrl, prefix, run });
    const b = new ScheduledJob({ name: 'sweep', everyMs: 400, redisUrl: testServers().redisUrl, prefix, run });
    await Promise.all([a.start(), b.start()]);
    const connection = new Redis(testServers().redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue('sweep', { connection, prefix: `${prefix}bull` });
    expect(await queue.getJobSchedulersCount()).toBe(1); // two instances, one schedule
    await waitFor(() => runs >= 4, 30_000, 'four occurrences');
    await Promise.all([a.stop(), b.stop()]);
    await queue.close();
    connection.disconnect();
    expect(overlapped).toBe(false);
    const after = runs;
    await new Promise((r) => setTimeout(r, 1_000));
    expect(runs).toBe(after);
  });
});
