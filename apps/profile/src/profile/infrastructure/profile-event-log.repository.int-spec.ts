import { KeyedMutex } from '@meridian/shared';
import { dropTestMongo, testMongo, uniqueName } from '@meridian/shared/testing';
import { Connection } from 'mongoose';
import { ProfileConfig } from '../../config/profile.config';
import { ProfileEventDoc, TimelineCursor } from '../application/ports/profile-event-log.port';
import { timelineKey } from '../domain/timeline-order';
import { ProfileEventLogRepository } from './profile-event-log.repository';

/** A deterministic shuffle (a fixed LCG): the arrival order differs from time order, the same on every run. */
function shuffled<T>(items: readonly T[], seed = 7): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The timeline paged by key against a real MongoDB-wire server (ARCHITECTURE.md principle 9). */
describe('ProfileEventLogRepository timeline (real MongoDB-wire server)', () => {
  let mongo: Connection;
  let log: ProfileEventLogRepository;
  const withCap = (cap: number) => new ProfileEventLogRepository(mongo, new KeyedMutex(), Object.assign(new ProfileConfig(), { PROFILE_TIMELINE_BUCKET_KEYS: cap }));

  beforeAll(async () => {
    mongo = await testMongo('profile_timeline');
    log = withCap(new ProfileConfig().PROFILE_TIMELINE_BUCKET_KEYS);
  });

  /** Every page of a timeline, newest first, and the most documents one page read. */
  async function walk(repository: ProfileEventLogRepository, owners: string[], limit: number) {
    const walked: string[] = [];
    let mostRead = 0;
    let cursor: TimelineCursor | undefined;
    for (;;) {
      const readBefore = repository.documentsRead;
      const page = await repository.timeline(owners, limit, cursor);
      mostRead = Math.max(mostRead, repository.documentsRead - readBefore);
      walked.push(...page.map((e) => e._id));
      if (page.length < limit) return { walked, mostRead };
      const last = page[page.length - 1];
      cursor = { occurredAt: last.occurredAt, eventId: last._id };
    }
  }

  /** A customer's index documents, by key: its root, its pages, their buckets. */
  async function indexOf(customerId: string) {
    const byId = (collection: string, id: string) => mongo.collection(collection).findOne({ _id: id } as never) as Promise<Record<string, string[]> | null>;
    const root = await byId('timeline_roots', customerId);
    const pages = await Promise.all((root?.pages ?? ['']).map((from) => byId('timeline_pages', `${customerId}|${from}`)));
    const bucketFroms = pages.flatMap((p, i) => p?.buckets ?? [(root?.pages ?? [''])[i]]);
    const buckets = await Promise.all(bucketFroms.map((from) => byId('timeline_buckets', `${customerId}|${from}`)));
    return { root, pages: pages.filter((p) => p), buckets: buckets.filter((b) => b) as Array<Record<string, string[]>> };
  }

  const newestFirst = (docs: readonly ProfileEventDoc[]) => [...docs].sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt) || (b._id > a._id ? 1 : -1)).map((e) => e._id);

  afterAll(() => dropTestMongo(mongo));

  const event = (customerId: string, i: number, occurredAt: string): ProfileEventDoc => ({ _id: `${customerId}-e${String(i).padStart(4, '0')}`, customerId, type: 'TransactionPosted', occurredAt, source: 'crm_transaction_v1|0', offset: String(i), sealed: 'sealed' });

  it('walks 120 events (a customer and one merged into it) newest first in pages of 25, exactly once each, reading about a page per page', async () => {
    const [survivor, merged, stranger] = ['CT', 'CM', 'CX'].map((p) => uniqueName(p).toUpperCase());
    // Four months, and pairs of events at the same instant (written in two offsets): the eventId breaks the tie.
    const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + Math.floor(i / 2) * 26 * 3_600_000).toISOString().replace('Z', '+00:00');
    const history = [...Array.from({ length: 100 }, (_, i) => event(survivor, i, at(i))), ...Array.from({ length: 20 }, (_, i) => event(merged, i, at(2 * i + 1)))];
    const others = Array.from({ length: 30 }, (_, i) => event(stranger, i, at(i)));
    const arrivals = shuffled([...history, ...others]);
    for (let i = 0; i < arrivals.length; i += 7) await log.logEvents(arrivals.slice(i, i + 7));
    await log.logEvents(arrivals.slice(0, 10)); // a redelivered run logs and indexes again

    const { walked, mostRead } = await walk(log, [survivor, merged], 25);
    // The page's events, and per owner a bucket (its root and page are implicit while it has one bucket).
    expect(mostRead).toBeLessThanOrEqual(25 + 2);
    expect(walked).toEqual(newestFirst(history));
    expect(new Set(walked).size).toBe(120);
  });

  it('keeps every index document within the cap for 5,000 events of one day (cap 100), and pages them exactly, each page reading a bounded number of documents', async () => {
    const cap = 100;
    const small = withCap(cap);
    const id = uniqueName('CORP').toUpperCase();
    const day = Date.UTC(2026, 2, 10);
    const history = Array.from({ length: 5_000 }, (_, i) => event(id, i, new Date(day + Math.floor(i / 3) * 17_000).toISOString()));
    const arrivals = shuffled(history, 11);
    for (let i = 0; i < arrivals.length; i += 250) await small.logEvents(arrivals.slice(i, i + 250));
    await small.logEvents(arrivals.slice(0, 250)); // a redelivered run

    const index = await indexOf(id);
    expect(index.buckets.length).toBeGreaterThan(5_000 / cap);
    expect(Math.max(...index.buckets.map((b) => b.keys.length), ...index.pages.map((p) => p?.buckets.length ?? 0), index.root?.pages.length ?? 1)).toBeLessThanOrEqual(cap);
    expect(index.buckets.reduce((n, b) => n + b.keys.length, 0)).toBe(5_000);

    const { walked, mostRead } = await walk(small, [id], 100);
    expect(walked).toEqual(newestFirst(history));
    // The page's events, the root, the pages it crosses, and the buckets: every one but the first holds at least cap/2 keys.
    expect(mostRead).toBeLessThanOrEqual(100 + 1 + 2 + 1 + Math.ceil(100 / (cap / 2)));
  });

  it('splits pages too (cap 4): a customer and one merged into it page exactly, whatever the run sizes', async () => {
    const tiny = withCap(4);
    const [survivor, merged] = ['CT', 'CM'].map((p) => uniqueName(p).toUpperCase());
    const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString();
    const history = [...Array.from({ length: 300 }, (_, i) => event(survivor, i, at(i))), ...Array.from({ length: 60 }, (_, i) => event(merged, i, at(5 * i)))];
    const arrivals = shuffled(history, 3);
    for (let i = 0, size = 1; i < arrivals.length; i += size, size = (size % 13) + 1) await tiny.logEvents(arrivals.slice(i, i + size));

    const index = await indexOf(survivor);
    expect(index.root?.pages.length).toBeGreaterThan(1);
    expect(Math.max(...index.buckets.map((b) => b.keys.length), ...index.pages.map((p) => p?.buckets.length ?? 0))).toBeLessThanOrEqual(4);
    for (const limit of [1, 7, 25]) expect((await walk(tiny, [survivor, merged], limit)).walked).toEqual(newestFirst(history));
  });

  it('files an event logged before under the customer it was logged for, and never shows another customer\'s event', async () => {
    const [first, second] = ['CF', 'CS'].map((p) => uniqueName(p).toUpperCase());
    const original = event(first, 1, '2026-03-10T10:00:00+08:00');
    await log.logEvents([original]);
    // Re-sent after an unmerge or a relink: the same eventId, another customer.
    expect(await log.logEvents([{ ...original, customerId: second, offset: '99' }])).toEqual(new Set([0]));
    expect((await indexOf(second)).buckets).toEqual([]);
    expect((await log.timeline([second], 25)).map((e) => e._id)).toEqual([]);
    expect((await log.timeline([first], 25)).map((e) => e._id)).toEqual([original._id]);
    // An entry filed under the wrong customer (as an earlier release did): the page drops it.
    await mongo.collection('timeline_buckets').updateOne({ _id: `${second}|` } as never, { $set: { keys: [timelineKey(original.occurredAt, original._id)] } }, { upsert: true });
    expect(await log.timeline([second], 25)).toEqual([]);
  });

  it('forgets a customer\'s whole index, by key', async () => {
    const tiny = withCap(4);
    const [gone, kept] = ['CG', 'CK'].map((p) => uniqueName(p).toUpperCase());
    await tiny.logEvents([...Array.from({ length: 40 }, (_, i) => event(gone, i, `2026-03-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z`)), event(kept, 1, '2026-03-01T10:00:00Z')]);
    expect((await indexOf(gone)).buckets.length).toBeGreaterThan(4);
    await tiny.forgetTimelineOf([gone]);
    expect(await indexOf(gone)).toEqual({ root: null, pages: [], buckets: [] });
    expect(await tiny.timeline([gone], 25)).toEqual([]);
    expect((await tiny.timeline([kept], 25)).map((e) => e._id)).toEqual([`${kept}-e0001`]);
  });

  it('answers an empty page past the oldest event and for a customer with no events', async () => {
    const id = uniqueName('C').toUpperCase();
    await log.logEvents([event(id, 1, '2026-03-10T10:00:00+08:00')]);
    expect(await log.timeline([id], 25, { occurredAt: '2026-03-10T10:00:00+08:00', eventId: `${id}-e0001` })).toEqual([]);
    expect(await log.timeline([uniqueName('NONE')], 25)).toEqual([]);
  });
});
