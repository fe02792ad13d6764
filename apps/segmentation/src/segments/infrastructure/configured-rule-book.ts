import { Inject, Injectable, Logger } from '@nestjs/common';
import { SegmentationConfig } from '../../config/segmentation.config';
import { compileRule } from '@meridian/events/rules';
import { TagCatalogue } from '../../tags/domain/tag-catalogue';
import { TAG_CATALOGUE } from '../../tags/tag-catalogue.token';
import { RfmCalibrations } from '../application/ports/rfm-calibrations.port';
import { RuleBook, RuleBookEdition } from '../application/ports/rule-book.port';
import { SegmentDefinitions } from '../application/ports/segment-definitions.port';
import { CompiledRule } from '../domain/segment-state';

/**
 * The rule book from configuration and the definitions: the numbers of SegmentationConfig
 * (in the quantile RFM mode, with the breakpoints the last sweep calibrated), the
 * catalogue's tags (`tag:<CODE>`), and the segments defined (not deleted), compiled. Every
 * look-up reads the edition (one Redis GET) and reloads when it moved, so a segment written
 * or breakpoints recalibrated on any instance are used by all from their next batch.
 */
@Injectable()
export class ConfiguredRuleBook implements RuleBook {
  private readonly logger = new Logger('RuleBook');
  private readonly tags: CompiledRule[];
  private readonly numbers: RuleBookEdition['numbers'];
  private loaded?: { edition: string; book: Promise<RuleBookEdition> };

  constructor(
    private readonly config: SegmentationConfig,
    @Inject(TAG_CATALOGUE) catalogue: TagCatalogue,
    private readonly definitions: SegmentDefinitions,
    private readonly calibrations: RfmCalibrations,
  ) {
    const rules = config.rules;
    this.tags = catalogue.tags.map((t) => ({ id: `tag:${t.code}`, matches: compileRule(t.rule, config.ruleLimits) }));
    this.numbers = { rules, churnModel: config.churnModel, rfmBreakpoints: rules };
  }

  async current(): Promise<RuleBookEdition> {
    const edition = await this.definitions.edition();
    if (this.loaded?.edition !== edition) {
      const book = this.load();
      this.loaded = { edition, book };
      // A failed load is tried again on the next look-up.
      book.catch(() => this.loaded?.book === book && (this.loaded = undefined));
    }
    return this.loaded.book;
  }

  private async load(): Promise<RuleBookEdition> {
    const segments: CompiledRule[] = [];
    for (const d of await this.definitions.all()) {
      if (d.deletedAt) continue;
      try {
        segments.push({ id: d._id, matches: compileRule(d.rule, this.config.ruleLimits) });
      } catch (error) {
        // Admitted when written; refused now only if the limits were lowered since: left out, and said.
        this.logger.warn(`segment ${d._id} v${d.version} left out of the rule book: ${(error as Error).message}`);
      }
    }
    return { membership: { tags: this.tags, segments }, numbers: await this.currentNumbers() };
  }

  /** The configured numbers; in the quantile mode, RFM's breakpoints as last calibrated (the fixed ones until a sweep has). */
  private async currentNumbers(): Promise<RuleBookEdition['numbers']> {
    if (this.config.rules.rfmMode !== 'QUANTILE') return this.numbers;
    const calibration = await this.calibrations.current();
    return calibration ? { ...this.numbers, rfmBreakpoints: calibration.breakpoints } : this.numbers;
  }
}
