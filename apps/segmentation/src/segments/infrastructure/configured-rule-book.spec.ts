import { DEFAULT_RULE_LIMITS } from '@meridian/events/rules';
import { sampleFacts } from '@meridian/events/testing';
import { SegmentationConfig } from '../../config/segmentation.config';
import { TagCatalogue } from '../../tags/domain/tag-catalogue';
import { RfmCalibration, RfmCalibrations } from '../application/ports/rfm-calibrations.port';
import { SegmentDefinitionDoc, SegmentDefinitions } from '../application/ports/segment-definitions.port';
import { ConfiguredRuleBook } from './configured-rule-book';

/** Definitions in memory, as another instance would change them: the documents and the edition. */
class Definitions extends SegmentDefinitions {
  docs: SegmentDefinitionDoc[] = [];
  reads = 0;
  private n = 0;
  async all() {
    this.reads++;
    return this.docs;
  }
  async get(id: string) {
    return this.docs.find((d) => d._id === id);
  }
  async save() {
    return true;
  }
  async edition() {
    return String(this.n);
  }
  async bump() {
    this.n++;
  }
}

/** The stored calibration, as the sweep would have saved it. */
class Calibrations extends RfmCalibrations {
  stored?: RfmCalibration;
  async current() {
    return this.stored;
  }
  async save(c: RfmCalibration) {
    this.stored = c;
  }
  async forEachActiveCustomer() {
    return 0;
  }
}

const def = (id: string, rule: Record<string, unknown>, over: Partial<SegmentDefinitionDoc> = {}): SegmentDefinitionDoc => ({ _id: id, name: id, rule, version: 1, createdAt: '', updatedAt: '', ...over });
const catalogue = { version: 1, tags: [{ code: 'RICH', rule: { aumMinor: { $gte: 100 } } }] } as unknown as TagCatalogue;
const config = Object.assign(new SegmentationConfig(), { SEGMENT_RULE_MAX_DEPTH: DEFAULT_RULE_LIMITS.maxDepth });

describe('ConfiguredRuleBook', () => {
  it('holds the defined segments, reloading only when the edition moved; deleted ones leave it', async () => {
    const definitions = new Definitions();
    const book = new ConfiguredRuleBook(config, catalogue, definitions, new Calibrations());
    const ids = async () => (await book.current()).membership.segments.map((s) => s.id);
    expect(await ids()).toEqual([]);
    definitions.docs = [def('seg-gold', { tier: 'GOLD' }), def('seg-gone', { tier: 'MASS' }, { deletedAt: '2026-12-01T00:00:00Z' })];
    expect(await ids()).toEqual([]); // no bump: the same edition
    await definitions.bump();
    expect(await ids()).toEqual(['seg-gold']);
    const reads = definitions.reads;
    await ids();
    await ids();
    expect(definitions.reads).toBe(reads);
    const edition = await book.current();
    expect(edition.membership.segments[0].matches(sampleFacts({ tier: 'GOLD' }))).toBe(true);
    expect(edition.membership.segments[0].matches(sampleFacts({ tier: 'MASS' }))).toBe(false);
    expect(edition.membership.tags.map((t) => t.id)).toEqual(['tag:RICH']);
    definitions.docs = [];
    await definitions.bump();
    expect(await ids()).toEqual([]);
  });

  it('leaves out a stored rule the limits now refuse, keeping the rest', async () => {
    const definitions = new Definitions();
    definitions.docs = [def('seg-bad', { $where: '1' }), def('seg-ok', { tier: 'GOLD' })];
    await definitions.bump();
    const book = new ConfiguredRuleBook(config, catalogue, definitions, new Calibrations());
    expect((await book.current()).membership.segments.map((s) => s.id)).toEqual(['seg-ok']);
  });

  it('tries a failed load again on the next look-up', async () => {
    const definitions = new Definitions();
    await definitions.bump();
    const book = new ConfiguredRuleBook(config, catalogue, definitions, new Calibrations());
    const all = definitions.all.bind(definitions);
    definitions.all = async () => Promise.reject(new Error('database away'));
    await expect(book.current()).rejects.toThrow('database away');
    definitions.all = all;
    definitions.docs = [def('seg-ok', { tier: 'GOLD' })];
    expect((await book.current()).membership.segments.map((s) => s.id)).toEqual(['seg-ok']);
  });

  it('scores RFM on the fixed breakpoints, or in the quantile mode on those last calibrated once the edition moved', async () => {
    const definitions = new Definitions();
    const calibrations = new Calibrations();
    const quantile = Object.assign(new SegmentationConfig(), { SEGMENT_RFM_MODE: 'QUANTILE' });
    const fixed = new ConfiguredRuleBook(config, catalogue, definitions, calibrations);
    const book = new ConfiguredRuleBook(quantile, catalogue, definitions, calibrations);
    const recency = async (b: ConfiguredRuleBook) => (await b.current()).numbers.rfmBreakpoints.recencyDays;
    expect(await recency(book)).toEqual([7, 30, 60, 90]); // none calibrated yet
    const breakpoints = { recencyDays: [3, 9, 20, 45], frequencyCounts: [40, 20, 10, 4], monetaryMinor: [900, 500, 200, 100] } as RfmCalibration['breakpoints'];
    await calibrations.save({ breakpoints, sweepId: 's1', measured: { recency: 60, frequency: 60, monetary: 60 }, documentsRead: 61, calibratedAt: '' });
    await definitions.bump();
    expect((await book.current()).numbers.rfmBreakpoints).toEqual(breakpoints);
    expect(await recency(fixed)).toEqual([7, 30, 60, 90]);
  });
});
