/**
 * Enumerations of CONTRACTS.md, as `as const` tuples so they serve both as runtime
 * lists (for `@IsIn`) and as TypeScript union types.
 */
export const ID_TYPES = ['RESIDENT_ID', 'PASSPORT', 'BUSINESS_LICENSE'] as const;
export type IdType = (typeof ID_TYPES)[number];

export const GENDERS = ['M', 'F', 'U'] as const;
export type Gender = (typeof GENDERS)[number];

export const CUSTOMER_TYPES = ['PERSONAL', 'CORPORATE'] as const;
export type CustomerType = (typeof CUSTOMER_TYPES)[number];

export const RISK_TOLERANCES = ['R1', 'R2', 'R3', 'R4', 'R5'] as const;
export type RiskTolerance = (typeof RISK_TOLERANCES)[number];

export const MARKETING_CHANNELS = ['sms', 'email', 'app_push', 'wechat', 'phone'] as const;
export type MarketingChannel = (typeof MARKETING_CHANNELS)[number];

export const PRODUCT_TYPES = [
  'DEPOSIT_CURRENT',
  'DEPOSIT_TIME',
  'WEALTH',
  'FUND',
  'INSURANCE',
  'CREDIT_CARD',
  'MORTGAGE',
  'CONSUMER_LOAN',
  'BUSINESS_LOAN',
] as const;
export type ProductType = (typeof PRODUCT_TYPES)[number];

export const TRANSACTION_DIRECTIONS = ['DEBIT', 'CREDIT'] as const;
export type TransactionDirection = (typeof TRANSACTION_DIRECTIONS)[number];

export const TRANSACTION_CHANNELS = ['BRANCH', 'ATM', 'MOBILE', 'ONLINE', 'POS', 'WECHAT', 'COUNTER'] as const;
export type TransactionChannel = (typeof TRANSACTION_CHANNELS)[number];

export const TRANSACTION_CATEGORIES = [
  'PAYROLL',
  'TRANSFER',
  'PURCHASE',
  'FEE',
  'INTEREST',
  'REPAYMENT',
  'INVESTMENT',
  'REDEMPTION',
  'WITHDRAWAL',
  'DEPOSIT',
] as const;
export type TransactionCategory = (typeof TRANSACTION_CATEGORIES)[number];

/** CONTRACTS.md §2: FEE and INTEREST are not customer-initiated and do not count as activity. */
export const NON_CUSTOMER_INITIATED_CATEGORIES: readonly TransactionCategory[] = ['FEE', 'INTEREST'];

export const INTERACTION_CHANNELS = ['APP', 'BRANCH', 'CALL_CENTER', 'WECHAT', 'EMAIL', 'SMS', 'RM_VISIT'] as const;
export type InteractionChannel = (typeof INTERACTION_CHANNELS)[number];

export const INTERACTION_KINDS = [
  'LOGIN',
  'PAGE_VIEW',
  'INQUIRY',
  'COMPLAINT',
  'CARD_LOSS',
  'DISPUTE',
  'SERVICE_REQUEST',
  'CAMPAIGN_DELIVERED',
  'CAMPAIGN_OPENED',
  'CAMPAIGN_CLICKED',
  'CAMPAIGN_OPTED_OUT',
  'SURVEY_RESPONSE',
  'RM_MEETING',
] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];

export const TIERS = ['DIAMOND', 'GOLD', 'SILVER', 'MASS'] as const;
export type Tier = (typeof TIERS)[number];

export const LIFECYCLE_STAGES = ['PROSPECT', 'NEW', 'ACTIVE', 'AT_RISK', 'DORMANT', 'CHURNED'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export const CHURN_RISK_BANDS = ['LOW', 'MEDIUM', 'HIGH'] as const;
export type ChurnRiskBand = (typeof CHURN_RISK_BANDS)[number];

export const MEMBERSHIP_CHANGES = ['ENTERED', 'EXITED'] as const;
export type MembershipChange = (typeof MEMBERSHIP_CHANGES)[number];

export const RFM_SEGMENTS = [
  'Champions',
  'Loyal',
  'Potential Loyalist',
  'New',
  'Promising',
  'Need Attention',
  'About to Sleep',
  'At Risk',
  "Can't Lose",
  'Hibernating',
  'Lost',
] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

export const CAMPAIGN_VARIANTS = ['TREATMENT', 'CONTROL'] as const;
export type CampaignVariant = (typeof CAMPAIGN_VARIANTS)[number];

export const SUPPRESSION_REASONS = [
  'NO_CONSENT',
  'OPTED_OUT',
  'FREQUENCY_CAP',
  'QUIET_HOURS',
  'CONTROL_GROUP',
  'BUDGET',
  'OPEN_SERVICE_CASE',
  'NOT_IN_AUDIENCE',
  'UNSUITABLE',
] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** Weekly KPI status of a campaign (DOMAIN.md: KPI watch): GREEN at target, YELLOW at ≥ 80 % of it, RED below. */
export const KPI_STATUSES = ['RED', 'YELLOW', 'GREEN'] as const;
export type KpiStatus = (typeof KPI_STATUSES)[number];

export const TICKET_CATEGORIES = ['CARD_LOSS', 'COMPLAINT', 'DISPUTE', 'INQUIRY', 'SERVICE_REQUEST'] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];

export const TICKET_QUEUES = ['CARDS', 'LOANS', 'WEALTH', 'DEPOSITS', 'DIGITAL', 'GENERAL'] as const;
export type TicketQueue = (typeof TICKET_QUEUES)[number];

export const TICKET_PRIORITIES = ['P1', 'P2', 'P3'] as const;
/** DOMAIN.md service desk: NEW → ASSIGNED → IN_PROGRESS → (PENDING_CUSTOMER) → RESOLVED → CLOSED; RESOLVED may reopen. */
export const TICKET_STATUSES = ['NEW', 'ASSIGNED', 'IN_PROGRESS', 'PENDING_CUSTOMER', 'RESOLVED', 'CLOSED'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export const IDENTITY_KEY_KINDS = ['ID_NUMBER', 'PHONE', 'SOURCE_REF'] as const;
export type IdentityKeyKind = (typeof IDENTITY_KEY_KINDS)[number];

/** Why an IdentityConflict was raised beyond a moved key (absent: a key moved, idNumber decided). */
export const IDENTITY_CONFLICT_REASONS = ['KEPT_APART'] as const;
export type IdentityConflictReason = (typeof IDENTITY_CONFLICT_REASONS)[number];

export const ROLES = [
  'TELLER',
  'RM',
  'BRANCH_MANAGER',
  'EXECUTIVE',
  'MARKETING',
  'SERVICE_AGENT',
  'AUDITOR',
  'ADMIN',
  'SYSTEM',
] as const;
export type Role = (typeof ROLES)[number];
