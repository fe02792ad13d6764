import { IsOffsetDateTime } from '@meridian/events';

/** `POST /v1/sweeps` of any service: the instant to sweep (or roll) as of, ISO-8601 with offset; the daily job uses its own start. */
export class SweepRequest {
  @IsOffsetDateTime()
  asOf!: string;
}
