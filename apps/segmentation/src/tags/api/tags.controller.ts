import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Roles } from '@meridian/shared';
import { TAG_GROUPS, TagCatalogue, TagGroup } from '../domain/tag-catalogue';
import { TAG_CATALOGUE } from '../tag-catalogue.token';

class TagLabels {
  @ApiProperty({ example: '高净值' }) zh!: string;
  @ApiProperty({ example: 'High net worth' }) en!: string;
}

class TagView {
  @ApiProperty({ example: 'HIGH_NET_WORTH' }) code!: string;
  @ApiProperty({ enum: TAG_GROUPS }) group!: TagGroup;
  @ApiProperty({ type: TagLabels }) labels!: TagLabels;
  @ApiProperty() description!: string;
  @ApiProperty({ description: 'The rule: a Mongo-style query over the facts (ADR 0004)', type: 'object', additionalProperties: true, example: { aumMinor: { $gte: 600_000_000 } } })
  rule!: Record<string, unknown>;
}

class TagCatalogueView {
  @ApiProperty({ example: 1 }) version!: number;
  @ApiProperty({ type: [TagView] }) tags!: TagView[];
}

/** The catalogue is definitions, not customer data (no PII): everyone who works with segments or customers may read it. */
@ApiTags('tags')
@ApiBearerAuth()
@Controller('v1/tags')
export class TagsController {
  constructor(@Inject(TAG_CATALOGUE) private readonly catalogue: TagCatalogue) {}

  @Get()
  @Roles('MARKETING', 'RM', 'BRANCH_MANAGER', 'EXECUTIVE', 'SERVICE_AGENT', 'ADMIN', 'AUDITOR')
  @ApiOperation({ summary: 'The tag catalogue: version, and each tag’s code, group, labels (zh, en), description and rule' })
  @ApiOkResponse({ type: TagCatalogueView })
  list(): TagCatalogueView {
    return {
      version: this.catalogue.version,
      tags: this.catalogue.tags.map(({ code, group, labels, description, rule }) => ({ code, group, labels: { zh: labels.zh, en: labels.en }, description, rule })),
    };
  }
}
