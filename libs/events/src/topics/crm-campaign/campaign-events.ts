import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import {
  CAMPAIGN_VARIANTS,
  CampaignVariant,
  KPI_STATUSES,
  KpiStatus,
  MARKETING_CHANNELS,
  MarketingChannel,
  SUPPRESSION_REASONS,
  SuppressionReason,
} from '../../enums';
import { MinorUnits, OptionalString, Rate, RequiredEnum, RequiredString } from '../../validation/fields';
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

/**
 * crm.campaign.v1: a requested message could not be handed to its channel — refused, or still
 * failing once its retries ran out (issue 12, point 4). Reported once per message; the message is
 * not sent, and it counts in the campaign's `failed`.
 */
export class CampaignDeliveryFailed extends CustomerScoped {
  @RequiredString(128) campaignId!: string;
  @RequiredString(128) messageId!: string;
  @RequiredEnum(MARKETING_CHANNELS) channel!: MarketingChannel;
  /** Hand-over attempts made, the last included. */
  @IsInt() @Min(1) @Max(10_000) attempts!: number;
  /** What the last attempt met, e.g. `HTTP_503`, `TIMEOUT`, `CIRCUIT_OPEN`, `NO_RM`; or why the hand-over gave up, e.g. `OPTED_OUT`, `ERASED`. */
  @RequiredString(64) code!: string;
  @RequiredString(500) message!: string;
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

/**
 * crm.campaign.v1: a campaign's weekly conversion fell RED two weeks running (DOMAIN.md:
 * KPI watch). About a campaign, not a customer: the envelope carries no customerId.
 */
export class CampaignKpiAlert {
  @RequiredString(128) campaignId!: string;
  /** ISO-8601 week, e.g. `2026-W09`. */
  @Matches(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/, { message: '$property must be an ISO week YYYY-Www' }) week!: string;
  @RequiredEnum(KPI_STATUSES) status!: KpiStatus;
  @Rate() conversionRate!: number;
  @Rate() target!: number;
}

/** crm.campaign.v1: a relationship manager has a task, e.g. a DIAMOND customer turned AT_RISK (DOMAIN.md: within 24 h). */
export class RmTaskCreated extends CustomerScoped {
  @RequiredString(128) taskId!: string;
  @RequiredString(64) rmId!: string;
  /** What to do, e.g. `RETENTION_CALL`, `LEAD_FOLLOW_UP`. */
  @RequiredString(64) kind!: string;
  @IsOffsetDateTime() dueAt!: string;
  @RequiredString(500) reason!: string;
}

/** A change of the loyalty ledger (DOMAIN.md: every change is a ledger entry). */
abstract class PointsLedgerEntry extends CustomerScoped {
  @RequiredString(128) ledgerEntryId!: string;
  @IsInt() @Min(1) points!: number;
}

/** crm.campaign.v1: loyalty points credited. */
export class PointsAwarded extends PointsLedgerEntry {
  @RequiredString(64) reason!: string;
  @IsOffsetDateTime() expiresAt!: string;
}

/** crm.campaign.v1: loyalty points spent; never overdraws. */
export class PointsRedeemed extends PointsLedgerEntry {
  @RequiredString(64) reason!: string;
}

/** crm.campaign.v1: awarded points lapsed unspent after 24 months (DOMAIN.md: loyalty points). */
export class PointsExpired extends PointsLedgerEntry {
  /** The PointsAwarded entry whose points lapsed. */
  @OptionalString(128) awardedEntryId?: string;
}
