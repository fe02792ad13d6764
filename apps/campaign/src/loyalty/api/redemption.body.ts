import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Matches, Min } from 'class-validator';

/** POST /v1/customers/{id}/points/redemptions. */
export class RedemptionBody {
  @ApiProperty({ description: 'the client’s key of this redemption: sent again, the same redemption is answered (1–128 of letters, digits, `._:@-`)' })
  @IsString() @Matches(/^[A-Za-z0-9._:@-]{1,128}$/, { message: 'clientKey must be 1 to 128 letters, digits or ._:@-' })
  clientKey!: string;

  @ApiProperty({ minimum: 1, description: 'points to spend, oldest first' })
  @IsInt() @Min(1)
  points!: number;

  @ApiProperty({ description: 'what the points buy, e.g. GIFT, CASH_REBATE, ANNUAL_FEE (1–64 of capitals, digits, `_`)' })
  @IsString() @Matches(/^[A-Z][A-Z0-9_]{0,63}$/, { message: 'reason must be 1 to 64 capitals, digits or _, starting with a capital' })
  reason!: string;
}
