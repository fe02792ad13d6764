import { ApiProperty } from '@nestjs/swagger';
import { IsOffsetDateTime } from '@meridian/events';

/** A run of a time-driven job as of an explicit instant. */
export class AsOfBody {
  @ApiProperty({ description: 'ISO-8601 with offset' })
  @IsOffsetDateTime()
  asOf!: string;
}
