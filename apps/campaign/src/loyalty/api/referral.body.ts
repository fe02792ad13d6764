import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

/** POST /v1/customers/{id}/points/referrals: the customer brought another to the bank. */
export class ReferralBody {
  @ApiProperty({ description: 'the customer referred (their canonical id): once a referred customer' })
  @IsString() @Matches(/^[A-Za-z0-9._:-]{1,64}$/, { message: 'referredCustomerId must be a customer id (1 to 64 letters, digits or ._:-)' })
  referredCustomerId!: string;
}
