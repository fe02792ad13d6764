import { IsInt, IsOptional, Max, Min } from 'class-validator';
import {
  CAMPAIGN_VARIANTS,
  CampaignVariant,
  MARKETING_CHANNELS,
  MarketingChannel,
  SUPPRESSION_REASONS,
  SuppressionReason,
} from '../../enums';
import { MinorUnits, OptionalString, RequiredEnum, RequiredString } from '../../validation/fields';
import { IsOffsetDateTime } from '../../validation/rules';

abstract class CustomerScoped {
  @RequiredString(64)
  customerId!: string;
}

/** crm.campaign.v1: a channel adapter is asked to deliver one message (or a CONTROL record is kept). */
export class CampaignMessageRequested extends CustomerScoped {
  @RequiredString(128) campaignId!: string;
  @RequiredString(128) messageId!: string;
  @RequiredEnum(MARKETING_CHANNELS) channel!: MarketingChannel;
  @RequiredString(128) templateId!: string;
  /** Rendered content: no PII beyond what the channel needs. */
  @RequiredString(4000) content!: string;
  @RequiredEnum(CAMPAIGN_VARIANTS) variant!: CampaignVariant;
}

/** crm.campaign.v1: a message was not sent, and why (DOMAIN.md: eligibility order). */
export class CampaignMessageSuppressed extends CustomerScoped {
  @RequiredString(128) campaignId!: string;
  @OptionalString(128) messageId?: string;
  @RequiredEnum(SUPPRESSION_REASONS) reason!: SuppressionReason;
  /** QUIET_HOURS postpones rather than drops: when the message will be retried. */
  @IsOptional() @IsOffsetDateTime() postponedUntil?: string;
}

/** crm.campaign.v1: a goal event credited to the last message before it within the window. */
export class ConversionAttributed extends CustomerScoped {
  @RequiredString(128) campaignId!: string;
  @RequiredString(128) messageId!: string;
  /** eventId of the conversion event (e.g. a ProductOpened). */
  @RequiredString(128) conversionEventId!: string;
  @RequiredString(64) conversionType!: string;
  @MinorUnits(0) valueMinor!: number;
}

/** crm.campaign.v1: a scored lead went to a relationship manager. */
export class LeadAssigned extends CustomerScoped {
  @RequiredString(128) leadId!: string;
  @RequiredString(64) rmId!: string;
  @IsInt() @Min(0) @Max(100) score!: number;
}

/** crm.campaign.v1: loyalty points credited; every change is a ledger entry. */
export class PointsAwarded extends CustomerScoped {
  @RequiredString(128) ledgerEntryId!: string;
  @IsInt() @Min(1) points!: number;
  @RequiredString(64) reason!: string;
  @IsOffsetDateTime() expiresAt!: string;
}

/** crm.campaign.v1: loyalty points spent; never overdraws. */
export class PointsRedeemed extends CustomerScoped {
  @RequiredString(128) ledgerEntryId!: string;
  @IsInt() @Min(1) points!: number;
  @RequiredString(64) reason!: string;
}
