import { CustomerUpserted } from './core-customers/customer-upserted.event';
import { InteractionRecorded } from './core-interactions/interaction-recorded.event';
import { BalanceSnapshot } from './core-products/balance-snapshot.event';
import { ProductClosed } from './core-products/product-closed.event';
import { ProductOpened } from './core-products/product-opened.event';
import { TransactionPosted } from './core-transactions/transaction-posted.event';
import {
  CampaignDeliveryFailed,
  CampaignKpiAlert,
  CampaignMessageRequested,
  CampaignMessageSuppressed,
  ConversionAttributed,
  LeadAssigned,
  PointsAwarded,
  PointsExpired,
  PointsRedeemed,
  RmTaskCreated,
} from './crm-campaign/campaign-events';
import { DeadLetter } from './crm-deadletter/dead-letter.event';
import {
  CustomerErased,
  DataQualityAlert,
  IdentityConflict,
  IdentityMerged,
  IdentityUnmerged,
  PiiAccessed,
} from './crm-governance/governance-events';
import { CanonicalBalanceSnapshot } from './crm-product/canonical-balance-snapshot.event';
import { ProfileUpdated } from './crm-profile/profile-updated.event';
import {
  ChurnRiskChanged,
  LifecycleStageChanged,
  RfmScored,
  SegmentMembershipChanged,
  TierChanged,
} from './crm-segment/segment-events';
import {
  SatisfactionRecorded,
  SurveyRequested,
  TicketAssigned,
  TicketClosed,
  TicketEscalated,
  TicketOpened,
  TicketReopened,
  TicketStatusChanged,
  TicketResolved,
} from './crm-ticket/ticket-events';
import { CanonicalTransactionPosted } from './crm-transaction/canonical-transaction-posted.event';

/** Every topic of CONTRACTS.md §2–4. */
export const TOPICS = {
  coreCustomers: 'core.customers.v1',
  coreProducts: 'core.products.v1',
  coreTransactions: 'core.transactions.v1',
  coreInteractions: 'core.interactions.v1',
  customer: 'crm.customer.v1',
  product: 'crm.product.v1',
  transaction: 'crm.transaction.v1',
  interaction: 'crm.interaction.v1',
  profile: 'crm.profile.v1',
  segment: 'crm.segment.v1',
  campaign: 'crm.campaign.v1',
  ticket: 'crm.ticket.v1',
  governance: 'crm.governance.v1',
  deadLetter: 'crm.deadletter.v1',
} as const;
export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PayloadClass<P = any> = new () => P;

/**
 * Turns a payload of schema version `n` into version `n + 1`. Breaking changes add a
 * version and an upcaster here; consumers always see the current version.
 */
export type Upcaster = (payload: Record<string, unknown>) => Record<string, unknown>;

export interface EventTypeDefinition {
  /** The version producers write today. */
  schemaVersion: number;
  payload: PayloadClass;
  /** upcasters[n] lifts version n to n + 1. */
  upcasters?: Record<number, Upcaster>;
}

export interface TopicDefinition {
  /** `sourceRef` on core.* topics (sourceSystem:sourceCustomerId), `customerId` on crm.*. */
  key: 'sourceRef' | 'customerId' | 'none';
  types: Record<string, EventTypeDefinition>;
}

export type TopicRegistry = Record<string, TopicDefinition>;

const v1 = (payload: PayloadClass): EventTypeDefinition => ({ schemaVersion: 1, payload });

/** Topic → allowed event types → payload class and schema version. The code form of CONTRACTS.md. */
export const TOPIC_REGISTRY: TopicRegistry = {
  [TOPICS.coreCustomers]: { key: 'sourceRef', types: { CustomerUpserted: v1(CustomerUpserted) } },
  [TOPICS.coreProducts]: {
    key: 'sourceRef',
    types: { ProductOpened: v1(ProductOpened), ProductClosed: v1(ProductClosed), BalanceSnapshot: v1(BalanceSnapshot) },
  },
  [TOPICS.coreTransactions]: { key: 'sourceRef', types: { TransactionPosted: v1(TransactionPosted) } },
  [TOPICS.coreInteractions]: { key: 'sourceRef', types: { InteractionRecorded: v1(InteractionRecorded) } },
  [TOPICS.customer]: { key: 'customerId', types: { CustomerUpserted: v1(CustomerUpserted) } },
  [TOPICS.product]: {
    key: 'customerId',
    types: {
      ProductOpened: v1(ProductOpened),
      ProductClosed: v1(ProductClosed),
      BalanceSnapshot: v1(CanonicalBalanceSnapshot),
    },
  },
  [TOPICS.transaction]: { key: 'customerId', types: { TransactionPosted: v1(CanonicalTransactionPosted) } },
  [TOPICS.interaction]: { key: 'customerId', types: { InteractionRecorded: v1(InteractionRecorded) } },
  [TOPICS.profile]: { key: 'customerId', types: { ProfileUpdated: v1(ProfileUpdated) } },
  [TOPICS.segment]: {
    key: 'customerId',
    types: {
      TierChanged: v1(TierChanged),
      LifecycleStageChanged: v1(LifecycleStageChanged),
      ChurnRiskChanged: v1(ChurnRiskChanged),
      SegmentMembershipChanged: v1(SegmentMembershipChanged),
      RfmScored: v1(RfmScored),
    },
  },
  [TOPICS.campaign]: {
    key: 'customerId',
    types: {
      CampaignMessageRequested: v1(CampaignMessageRequested),
      CampaignMessageSuppressed: v1(CampaignMessageSuppressed),
      ConversionAttributed: v1(ConversionAttributed),
      CampaignKpiAlert: v1(CampaignKpiAlert),
      CampaignDeliveryFailed: v1(CampaignDeliveryFailed),
      LeadAssigned: v1(LeadAssigned),
      RmTaskCreated: v1(RmTaskCreated),
      PointsAwarded: v1(PointsAwarded),
      PointsRedeemed: v1(PointsRedeemed),
      PointsExpired: v1(PointsExpired),
    },
  },
  [TOPICS.ticket]: {
    key: 'customerId',
    types: {
      TicketOpened: v1(TicketOpened),
      TicketAssigned: v1(TicketAssigned),
      TicketEscalated: v1(TicketEscalated),
      TicketResolved: v1(TicketResolved),
      TicketClosed: v1(TicketClosed),
      TicketReopened: v1(TicketReopened),
      TicketStatusChanged: v1(TicketStatusChanged),
      SurveyRequested: v1(SurveyRequested),
      SatisfactionRecorded: v1(SatisfactionRecorded),
    },
  },
  [TOPICS.governance]: {
    key: 'customerId',
    types: {
      DataQualityAlert: v1(DataQualityAlert),
      IdentityConflict: v1(IdentityConflict),
      IdentityMerged: v1(IdentityMerged),
      IdentityUnmerged: v1(IdentityUnmerged),
      PiiAccessed: v1(PiiAccessed),
      CustomerErased: v1(CustomerErased),
    },
  },
  [TOPICS.deadLetter]: { key: 'none', types: { DeadLetter: v1(DeadLetter) } },
};

/** Every (topic, type) pair, for round-trip tests and topic provisioning. */
export function allTopicTypes(registry: TopicRegistry = TOPIC_REGISTRY): Array<{ topic: string; type: string }> {
  return Object.entries(registry).flatMap(([topic, def]) => Object.keys(def.types).map((type) => ({ topic, type })));
}
