import { ApiProperty } from '@nestjs/swagger';
import { IsOffsetDateTime } from '@meridian/events';

/** POST /v1/points/expiries. */
export class ExpiryRunBody {
  @ApiProperty({ description: 'the instant as of which lapsed points expire (ISO-8601 with offset)' })
  @IsOffsetDateTime()
  asOf!: string;
}
