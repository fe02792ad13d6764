import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { INTERACTION_CHANNELS, INTERACTION_KINDS, InteractionChannel, InteractionKind } from '../../enums';
import { OptionalString, RequiredEnum, RequiredString } from '../../validation/fields';
import { SourceReferenced } from '../source-reference';

/** core.interactions.v1 and crm.interaction.v1. */
export class InteractionRecorded extends SourceReferenced {
  @RequiredString(128)
  interactionId!: string;

  @RequiredEnum(INTERACTION_CHANNELS)
  channel!: InteractionChannel;

  @RequiredEnum(INTERACTION_KINDS)
  kind!: InteractionKind;

  /** Free text, Chinese or English. */
  @OptionalString(4000)
  text?: string;

  @OptionalString(128)
  topic?: string;

  @OptionalString(128)
  campaignId?: string;

  @OptionalString(128)
  messageId?: string;

  @OptionalString(128)
  ticketId?: string;

  @IsOptional() @IsInt() @Min(1) @Max(5)
  csat?: number;

  @IsOptional() @IsInt() @Min(0) @Max(10)
  nps?: number;
}
