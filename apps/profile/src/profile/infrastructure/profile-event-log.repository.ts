import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { insertNew, mapLimit, nativeCollection } from '@meridian/shared';
import type { Connection } from 'mongoose';
import { ProfileEventDoc, ProfileEventLog, TimelineCursor } from '../application/ports/profile-event-log.port';
import { eventIdOfTimelineKey, timelineKey, timelineMonth } from '../domain/timeline-order';

/** timeline_months: `_id` customerId → the months its timeline has entries in. */
interface TimelineMonthsDoc {
  _id: string;
  months: string[];
}

/** timeline_buckets: `_id` `customerId|YYYY-MM` → that month's timeline keys (no PII: time and eventId). */
interface TimelineBucketDoc {
  _id: string;
  keys: string[];
}

const bucketId = (customerId: string, month: string) => `${customerId}|${month}`;

/**
 * The event log (profile_events, by eventId) and the timeline index that pages it by key
 * (ARCHITECTURE.md principle 9; ADR 0007): a page reads each owner's month list, then the
 * month buckets from the cursor's month back until the page is full, then the page's
 * events — `_id` look-ups only, which is all the FerretDB here pushes down. Indexing is
 * idempotent ($addToSet) and happens after the events are logged, so a redelivered run
 * that finds its events logged puts their entries again.
 */
@Injectable()
export class ProfileEventLogRepository implements ProfileEventLog, OnModuleInit {
  private readonly logger = new Logger(ProfileEventLogRepository.name);
  /** Documents read so far (events, month lists, buckets): what a page costs is observable, not guessed. */
  documentsRead = 0;

  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get events() {
    return nativeCollection<ProfileEventDoc>(this.connection, 'profile_events');
  }
  private get months() {
    return nativeCollection<TimelineMonthsDoc>(this.connection, 'timeline_months');
  }
  private get buckets() {
    return nativeCollection<TimelineBucketDoc>(this.connection, 'timeline_buckets');
  }

  /** A customer's events by customerId, for rebuilds and export: an index on MongoDB (FerretDB scans; both are rare). */
  onModuleInit(): void {
    void this.connection
      .asPromise()
      .then(() => this.events.createIndex({ customerId: 1, occurredAt: -1 }))
      .catch((error: Error) => this.logger.warn(`profile_events index not created: ${error.message}`));
  }

  async logEvents(docs: ProfileEventDoc[]): Promise<Set<number>> {
    const existing = await insertNew(this.events, docs);
    await this.index(docs);
    return existing;
  }

  /** Files each event under its customer's month (one update per bucket, one per customer's month list). */
  private async index(docs: readonly ProfileEventDoc[]): Promise<void> {
    const byBucket = new Map<string, { customerId: string; month: string; keys: string[] }>();
    for (const d of docs) {
      const month = timelineMonth(d.occurredAt);
      const id = bucketId(d.customerId, month);
      const bucket = byBucket.get(id) ?? { customerId: d.customerId, month, keys: [] };
      bucket.keys.push(timelineKey(d.occurredAt, d._id));
      byBucket.set(id, bucket);
    }
    const monthsOf = new Map<string, Set<string>>();
    for (const b of byBucket.values()) monthsOf.set(b.customerId, (monthsOf.get(b.customerId) ?? new Set()).add(b.month));
    await mapLimit([...byBucket], 8, ([id, b]) => this.buckets.updateOne({ _id: id }, { $addToSet: { keys: { $each: b.keys } } }, { upsert: true }));
    await mapLimit([...monthsOf], 8, ([customerId, months]) => this.months.updateOne({ _id: customerId }, { $addToSet: { months: { $each: [...months] } } }, { upsert: true }));
  }

  async logged(eventIds: readonly string[]): Promise<Array<ProfileEventDoc | null>> {
    const docs = await mapLimit(eventIds, 16, (id) => this.events.findOne({ _id: id }));
    this.documentsRead += docs.filter((d) => d).length;
    return docs;
  }

  async eventsOf(customerIds: readonly string[]): Promise<ProfileEventDoc[]> {
    const docs = await this.events.find({ customerId: { $in: [...customerIds] } }).toArray();
    this.documentsRead += docs.length;
    return docs;
  }

  /** A page, newest first, strictly before the cursor: month lists, the buckets a page needs, then `limit` events. */
  async timeline(customerIds: readonly string[], limit: number, before?: TimelineCursor): Promise<ProfileEventDoc[]> {
    const lists = (await mapLimit([...new Set(customerIds)], 8, (id) => this.months.findOne({ _id: id }))).filter((d): d is TimelineMonthsDoc => !!d);
    this.documentsRead += lists.length;
    const cursorKey = before && timelineKey(before.occurredAt, before.eventId);
    const cursorMonth = before && timelineMonth(before.occurredAt);
    const months = [...new Set(lists.flatMap((l) => l.months))].filter((m) => !cursorMonth || m <= cursorMonth).sort().reverse();
    const keys: string[] = [];
    for (const month of months) {
      // Months are read newest first and each whole: once a page is full, no older month can hold a newer entry.
      if (keys.length >= limit) break;
      const owners = lists.filter((l) => l.months.includes(month)).map((l) => bucketId(l._id, month));
      const buckets = (await mapLimit(owners, 8, (id) => this.buckets.findOne({ _id: id }))).filter((b): b is TimelineBucketDoc => !!b);
      this.documentsRead += buckets.length;
      for (const b of buckets) keys.push(...b.keys.filter((k) => !cursorKey || k < cursorKey));
    }
    const page = [...new Set(keys)].sort().reverse().slice(0, limit);
    return (await this.logged(page.map(eventIdOfTimelineKey))).filter((d): d is ProfileEventDoc => !!d);
  }
}
