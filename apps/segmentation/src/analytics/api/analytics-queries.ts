import { ApiPropertyOptional } from '@nestjs/swagger';
import { TIERS, Tier } from '@meridian/events';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

/** A branch id as the profile carries it, without the counters' separator `|`; `-` is the customers of no known branch. */
const BRANCH_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

export class BranchScopeQuery {
  @ApiPropertyOptional({ description: 'One branch only (`-`: customers whose branch is unknown)', example: 'BJ001' })
  @IsOptional() @IsString() @Matches(BRANCH_ID, { message: 'branchId must be 1–64 letters, digits, `_`, `.`, `:` or `-`' })
  branchId?: string;
}

export class CrossSellQuery {
  @ApiPropertyOptional({ enum: TIERS, description: 'One tier only' })
  @IsOptional() @IsIn(TIERS as unknown as string[])
  tier?: Tier;
}

export class ClustersQuery {
  @ApiPropertyOptional({ minimum: 2, maximum: 10, description: 'Clusters wanted; absent: the k of 2..SEGMENT_CLUSTER_AUTO_K_MAX (8) with the best silhouette' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(2) @Max(10)
  k?: number;
}
