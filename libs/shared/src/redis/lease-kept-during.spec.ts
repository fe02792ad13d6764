import { leaseKeptDuring } from './lease-kept-during';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('leaseKeptDuring', () => {
  it('renews on the timer while the work runs, and answers what the work answers', async () => {
    let renewals = 0;
    const work = async () => {
      while (renewals < 3) await sleep(5); // a pass that lasts three renewals
      return 'done';
    };
    expect(await leaseKeptDuring(async () => (renewals++, true), 10, work)).toBe('done');
    const after = renewals;
    await sleep(40);
    expect(renewals).toBe(after); // stopped with the work
  });

  it('throws once the work ends when a renewal found the lease lost, or failed', async () => {
    await expect(leaseKeptDuring(async () => false, 5, () => sleep(30))).rejects.toThrow('the lease lapsed');
    await expect(leaseKeptDuring(() => Promise.reject(new Error('redis away')), 5, () => sleep(30))).rejects.toThrow('redis away');
  });

  it('lets the work’s own failure through', async () => {
    await expect(leaseKeptDuring(async () => true, 5, () => Promise.reject(new Error('cursor closed')))).rejects.toThrow('cursor closed');
  });
});
