import { Inject, Injectable } from '@nestjs/common';
import { SegmentationConfig } from '../../config/segmentation.config';
import { compileRule } from '../../rules/domain/rule-query';
import { TagCatalogue } from '../../tags/domain/tag-catalogue';
import { TAG_CATALOGUE } from '../../tags/tag-catalogue.token';
import { RuleBook, RuleBookEdition } from '../application/ports/rule-book.port';

/** The rule book from configuration: the numbers of SegmentationConfig, the catalogue's tags (`tag:<CODE>`), the segments defined. */
@Injectable()
export class ConfiguredRuleBook implements RuleBook {
  private readonly edition: RuleBookEdition;

  constructor(config: SegmentationConfig, @Inject(TAG_CATALOGUE) catalogue: TagCatalogue) {
    const rules = config.rules;
    const tags = catalogue.tags.map((t) => ({ id: `tag:${t.code}`, matches: compileRule(t.rule, config.ruleLimits) }));
    this.edition = { membership: { tags, segments: [] }, numbers: { rules, churnModel: config.churnModel, rfmBreakpoints: rules } };
  }

  async current(): Promise<RuleBookEdition> {
    return this.edition;
  }
}
