import { Injectable } from '@nestjs/common';
import { SegmentationConfig } from '../../config/segmentation.config';
import { RuleBook, RuleBookEdition } from '../application/ports/rule-book.port';

/** The rule book from configuration: the numbers of SegmentationConfig, the catalogue's tags, the segments defined. */
@Injectable()
export class ConfiguredRuleBook implements RuleBook {
  private readonly edition: RuleBookEdition;

  constructor(config: SegmentationConfig) {
    const rules = config.rules;
    this.edition = { membership: { tags: [], segments: [] }, numbers: { rules, churnModel: config.churnModel, rfmBreakpoints: rules } };
  }

  async current(): Promise<RuleBookEdition> {
    return this.edition;
  }
}
