import { randomBytes } from 'node:crypto';
import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Clock, FieldValidationException, Principal } from '@meridian/shared';
import { SegmentationConfig } from '../../config/segmentation.config';
import { SegmentAnalytics } from '../../segments/application/ports/segment-analytics.port';
import { SegmentDefinitionDoc, SegmentDefinitions } from '../../segments/application/ports/segment-definitions.port';
import { SegmentStateStore } from '../../segments/application/ports/segment-state-store.port';
import { TagCatalogue } from '../../tags/domain/tag-catalogue';
import { TAG_CATALOGUE } from '../../tags/tag-catalogue.token';
import { membersPage } from '../domain/members-page';
import { segmentDefinitionInput } from '../domain/segment-definition-input';
import { BackfillSegmentUseCase } from './backfill-segment.use-case';
import { SegmentBackfillDoc } from './ports/segment-backfills.port';

/** A definition as the API answers it: its fields (id for `_id`), its size now, and its back-fill. */
export type SegmentView = Omit<SegmentDefinitionDoc, '_id'> & {
  id: string;
  /** Members now (the membership index). */
  size: number;
  backfill?: BackfillView;
};

export type BackfillView = Omit<SegmentBackfillDoc, '_id' | 'lastId'>;

export interface MembersView {
  segmentId: string;
  size: number;
  members: string[];
  next?: string;
}

export interface CustomerSegmentsView {
  customerId: string;
  status: 'ACTIVE' | 'MERGED' | 'ERASED';
  asOf: string;
  segments: Array<{ id: string; kind: 'SEGMENT'; name: string } | { id: string; kind: 'TAG'; code: string; labels: { zh: string; en: string } }>;
}

/** `seg-` and 12 random base-32 characters: short, safe in an eventId and a Redis key. */
const newSegmentId = () => `seg-${[...randomBytes(12)].map((b) => 'abcdefghijkmnpqrstuvwxyz23456789'[b % 32]).join('')}`;
const TAG_PREFIX = 'tag:';

/**
 * Segment definitions (issue 10): defined, edited (the version goes up) and deleted by
 * MARKETING and ADMIN; each write moves the definitions' edition (every instance's rule
 * book reloads) and starts the segment's back-fill. Reads by `_id`, the list reads the
 * (small) collection whole; members and sizes come from the membership index in Redis.
 */
@Injectable()
export class SegmentDefinitionsUseCase {
  constructor(
    private readonly definitions: SegmentDefinitions,
    private readonly backfills: BackfillSegmentUseCase,
    private readonly analytics: SegmentAnalytics,
    private readonly states: SegmentStateStore,
    private readonly config: SegmentationConfig,
    private readonly clock: Clock,
    @Inject(TAG_CATALOGUE) private readonly catalogue: TagCatalogue,
  ) {}

  async create(body: unknown, by: Principal): Promise<SegmentView> {
    const input = this.valid(body);
    const now = this.clock.now().toISOString();
    const doc: SegmentDefinitionDoc = { _id: newSegmentId(), ...input, version: 1, createdAt: now, updatedAt: now, ...(by.sub && { createdBy: by.sub, updatedBy: by.sub }) };
    if (!(await this.definitions.save(doc, undefined))) throw new ConflictException({ title: 'segment id taken', detail: 'a generated id met an existing one: send it again' });
    return this.written(doc);
  }

  async list(): Promise<SegmentView[]> {
    const live = (await this.definitions.all()).filter((d) => !d.deletedAt);
    return Promise.all(live.map(async (d) => this.view(d, await this.backfills.progress(d._id))));
  }

  async get(segmentId: string): Promise<SegmentView> {
    const doc = await this.live(segmentId);
    return this.view(doc, await this.backfills.progress(segmentId));
  }

  async update(segmentId: string, body: unknown, by: Principal): Promise<SegmentView> {
    const input = this.valid(body);
    const doc = await this.live(segmentId);
    const { description: _dropped, ...kept } = doc;
    const next: SegmentDefinitionDoc = { ...kept, ...input, version: doc.version + 1, updatedAt: this.clock.now().toISOString(), ...(by.sub && { updatedBy: by.sub }) };
    return this.replace(next, doc.version);
  }

  async remove(segmentId: string, by: Principal): Promise<SegmentView> {
    const doc = await this.live(segmentId);
    const now = this.clock.now().toISOString();
    return this.replace({ ...doc, version: doc.version + 1, updatedAt: now, deletedAt: now, ...(by.sub && { updatedBy: by.sub }) }, doc.version);
  }

  /** A defined segment's back-fill, also once it is deleted (its members leaving). */
  async backfill(segmentId: string): Promise<BackfillView> {
    const found = await this.backfills.progress(segmentId);
    if (!found) throw this.notFound(segmentId);
    return backfillView(found);
  }

  /** Members of a defined segment or a catalogue tag (`tag:<CODE>`), in customerId order, after the cursor. */
  async members(segmentId: string, after: string | undefined, limit = this.config.SEGMENT_MEMBERS_PAGE_DEFAULT): Promise<MembersView> {
    if (segmentId.startsWith(TAG_PREFIX)) {
      if (!this.catalogue.tags.some((t) => t.code === segmentId.slice(TAG_PREFIX.length))) throw new NotFoundException({ title: 'no such tag', detail: `the catalogue has no tag ${segmentId}` });
    } else await this.live(segmentId);
    const [fetched, size] = await Promise.all([this.analytics.members(segmentId, after, limit + 1), this.analytics.size(segmentId)]);
    return { segmentId, size, ...membersPage(fetched, limit) };
  }

  /** What a customer holds now: defined segments with their names, tags with their labels. */
  async ofCustomer(customerId: string): Promise<CustomerSegmentsView> {
    const doc = (await this.states.load([customerId])).get(customerId);
    if (!doc) throw new NotFoundException({ title: 'no such customer', detail: `segmentation has not evaluated ${customerId}` });
    const tags = new Map(this.catalogue.tags.map((t) => [`${TAG_PREFIX}${t.code}`, t]));
    const segments: CustomerSegmentsView['segments'] = [];
    for (const id of doc.memberships) {
      const tag = tags.get(id);
      if (tag) segments.push({ id, kind: 'TAG', code: tag.code, labels: { zh: tag.labels.zh, en: tag.labels.en } });
      else if (id.startsWith(TAG_PREFIX)) segments.push({ id, kind: 'TAG', code: id.slice(TAG_PREFIX.length), labels: { zh: id.slice(TAG_PREFIX.length), en: id.slice(TAG_PREFIX.length) } });
      else {
        const definition = await this.definitions.get(id);
        segments.push({ id, kind: 'SEGMENT', name: definition?.name ?? id });
      }
    }
    return { customerId, status: doc.status, asOf: doc.asOf, segments };
  }

  private valid(body: unknown) {
    const { input, errors } = segmentDefinitionInput(body, this.config.ruleLimits);
    if (!input) throw new FieldValidationException(errors);
    return input;
  }

  private async live(segmentId: string): Promise<SegmentDefinitionDoc> {
    const doc = await this.definitions.get(segmentId);
    if (!doc || doc.deletedAt) throw this.notFound(segmentId);
    return doc;
  }

  private notFound(segmentId: string) {
    return new NotFoundException({ title: 'no such segment', detail: `no segment ${segmentId.slice(0, 100)}` });
  }

  private async replace(next: SegmentDefinitionDoc, previousVersion: number): Promise<SegmentView> {
    if (!(await this.definitions.save(next, previousVersion))) {
      throw new ConflictException({ title: 'segment changed meanwhile', detail: `${next._id} was written by another request since version ${previousVersion}: read it again` });
    }
    return this.written(next);
  }

  /** After a write: every instance's rule book moves, then the back-fill starts. */
  private async written(doc: SegmentDefinitionDoc): Promise<SegmentView> {
    await this.definitions.bump();
    return this.view(doc, await this.backfills.begin(doc));
  }

  private async view(doc: SegmentDefinitionDoc, backfill: SegmentBackfillDoc | undefined): Promise<SegmentView> {
    const { _id, ...rest } = doc;
    return { id: _id, ...rest, size: await this.analytics.size(_id), ...(backfill && { backfill: backfillView(backfill) }) };
  }
}

/** The progress, without the checkpoint (a customer id: not the readers' business). */
function backfillView(b: SegmentBackfillDoc): BackfillView {
  return { version: b.version, state: b.state, read: b.read, entered: b.entered, exited: b.exited, startedAt: b.startedAt, ...(b.finishedAt && { finishedAt: b.finishedAt }) };
}
