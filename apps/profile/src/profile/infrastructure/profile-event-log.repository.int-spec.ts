import { dropTestMongo, testMongo, uniqueName } from '@meridian/shared/testing';
import { Connection } from 'mongoose';
import { ProfileEventDoc } from '../application/ports/profile-event-log.port';
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

  beforeAll(async () => {
    mongo = await testMongo('profile_timeline');
    log = new ProfileEventLogRepository(mongo);
  });

  afterAll(() => dropTestMongo(mongo));

  const event = (customerId: string, i: number, occurredAt: string): ProfileEventDoc => ({ _id: `${customerId}-e${String(i).padStart(3, '0')}`, customerId, type: 'TransactionPosted', occurredAt, source: 'crm_transaction_v1|0', offset: String(i), sealed: 'sealed' });

  it('walks 120 events (a customer and one merged into it) newest first in pages of 25, exactly once each, reading about a page per page', async () => {
    const [survivor, merged, stranger] = ['CT', 'CM', 'CX'].map((p) => uniqueName(p).toUpperCase());
    // Four months, and pairs of events at the same instant (written in two offsets): the eventId breaks the tie.
    const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + Math.floor(i / 2) * 26 * 3_600_000).toISOString().replace('Z', '+00:00');
    const history = [...Array.from({ length: 100 }, (_, i) => event(survivor, i, at(i))), ...Array.from({ length: 20 }, (_, i) => event(merged, i, at(2 * i + 1)))];
    const others = Array.from({ length: 30 }, (_, i) => event(stranger, i, at(i)));
    const arrivals = shuffled([...history, ...others]);
    for (let i = 0; i < arrivals.length; i += 7) await log.logEvents(arrivals.slice(i, i + 7));
    await log.logEvents(arrivals.slice(0, 10)); // a redelivered run logs and indexes again

    const newestFirst = [...history].sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt) || (b._id > a._id ? 1 : -1)).map((e) => e._id);
    const walked: string[] = [];
    let cursor: { occurredAt: string; eventId: string } | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const readBefore = log.documentsRead;
      const page = await log.timeline([survivor, merged], 25, cursor);
      const read = log.documentsRead - readBefore;
      // The page's events, two month lists, and a bucket per owner for the months the page spans.
      expect(read).toBeLessThanOrEqual(25 + 2 + 2 * 3);
      walked.push(...page.map((e) => e._id));
      if (page.length < 25) break;
      const last = page[page.length - 1];
      cursor = { occurredAt: last.occurredAt, eventId: last._id };
    }
    expect(walked).toEqual(newestFirst);
    expect(new Set(walked).size).toBe(120);
  });

  it('answers an empty page past the oldest event and for a customer with no events', async () => {
    const id = uniqueName('C').toUpperCase();
    await log.logEvents([event(id, 1, '2026-03-10T10:00:00+08:00')]);
    expect(await log.timeline([id], 25, { occurredAt: '2026-03-10T10:00:00+08:00', eventId: `${id}-e001` })).toEqual([]);
    expect(await log.timeline([uniqueName('NONE')], 25)).toEqual([]);
  });
});
