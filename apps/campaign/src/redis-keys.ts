/** A day, in ms. */
export const DAY_MS = 86_400_000;

/** How long Redis remembers past the window a key serves: a redelivery or replay within it is answered as before. */
export const MEMORY_DAYS = 35;

/** Every Redis key campaign keeps, under the deployment's prefix (`<database>:cmp:…`). */
export const campaignKeys = (prefix: string) => ({
  /** A message's decision (JSON), by campaign and message id. */
  decision: (campaignId: string, messageId: string) => `${prefix}cmp:dec:${campaignId}:${messageId}`,
  /** A channel's report on a message, counted once. */
  response: (campaignId: string, messageId: string, kind: string) => `${prefix}cmp:dec:${campaignId}:${messageId}:${kind}`,
  /** The customer's sends across campaigns (a sorted set by time): the customer cap. */
  sends: (customerId: string) => `${prefix}cmp:sends:${customerId}`,
  /** The customer's sends (and holds) of one campaign: the campaign cap. */
  campaignSends: (customerId: string, campaignId: string) => `${prefix}cmp:sends:${customerId}:${campaignId}`,
  /** A campaign's spend, minor units: its budget's counter. */
  spent: (campaignId: string) => `${prefix}cmp:spent:${campaignId}`,
  /** A campaign's counters (stats, KPI weeks, marks). */
  stats: (campaignId: string) => `${prefix}cmp:stats:${campaignId}`,
  /** The customer's latest touch of each campaign (JSON by campaign): what attribution reads. */
  arms: (customerId: string) => `${prefix}cmp:arms:${customerId}`,
  /** A message's conversion, once (holds the converting event's id). */
  conversion: (campaignId: string, messageId: string) => `${prefix}cmp:conv:${campaignId}:${messageId}`,
  /** A product opened, counted once for a campaign. */
  productSeen: (campaignId: string, eventId: string) => `${prefix}cmp:seen:${campaignId}:${eventId}`,
  /** Each message's AUM change since its decision, as of a profile version (hash by message). */
  aum: (campaignId: string) => `${prefix}cmp:aum:${campaignId}`,
  /** The customer's service cases (hash by ticket). */
  cases: (customerId: string) => `${prefix}cmp:cases:${customerId}`,
  /** The customer's opt-outs (hash by channel). */
  optOuts: (customerId: string) => `${prefix}cmp:optouts:${customerId}`,
  /** Deliveries and conversions by tier and channel across campaigns (`<tier>:delivered:<channel>`): the channel choice's history. */
  channelHistory: () => `${prefix}cmp:history`,
  /** What campaign keeps of a customer, as its decisions read it (a hash: the profile's version, status and features; segmentation's fields and memberships, each with its instant). */
  facts: (customerId: string) => `${prefix}cmp:facts:${customerId}`,
  /** Set once every customer kept in MongoDB is in the facts above (copied from them when missing), to the Redis server's run id: until then, and on another server run, a decision reads MongoDB. */
  factsBuilt: () => `${prefix}cmp:facts:built`,
  /** The running copy's token: it marks the facts complete only while its token is there (a Redis emptied meanwhile has none). */
  factsCopying: () => `${prefix}cmp:facts:copying`,
  /** The customers campaign knows as ACTIVE, by partition of so many (a set each): what a batch audience reads. */
  base: (partitions: number, partition: number) => `${prefix}cmp:base:${partitions}:${partition}`,
  /** Each customer's profile version the base last applied (a hash): an older announcement changes nothing. */
  baseVersions: () => `${prefix}cmp:base:versions`,
  /** Customers erased: never in the base again (PIPL: erasure is final). */
  baseGone: () => `${prefix}cmp:base:gone`,
  /** Set once the base of so many partitions holds every customer kept in MongoDB (built from them when missing). */
  baseBuilt: (partitions: number) => `${prefix}cmp:base:built:${partitions}`,
  /** A scheduled campaign's batch run: its instant, partitions done, counts, start and end (a hash). */
  batch: (campaignId: string) => `${prefix}cmp:batch:${campaignId}`,
  /** One writer at a time of a customer's points account (a lease). */
  pointsLock: (customerId: string) => `${prefix}cmp:pts:lock:${customerId}`,
  /** The last entry of each points account announced on crm.campaign.v1 (a hash by customer). */
  pointsAnnounced: () => `${prefix}cmp:pts:announced`,
  /** Points accounts written and not yet announced (a sorted set by when marked, ms): what the announce job settles. */
  pointsUnannounced: () => `${prefix}cmp:pts:unannounced`,
  /** Points accounts by the instant their first lot lapses (a sorted set, ms): what the daily expiry reads. */
  pointsDue: () => `${prefix}cmp:pts:due`,
  /** One writer at a time of a customer's lead (a lease). */
  leadLock: (customerId: string) => `${prefix}cmp:lead:lock:${customerId}`,
  /** The RM roster (a hash: rmId → JSON { branchId, capacity?, status }); the `{rm}` hash tag keeps the roster's keys in one slot, so the assignment script's keys share it. */
  rmRoster: () => `${prefix}cmp:{rm}:roster`,
  /** Each RM's open leads (a hash: rmId → count). */
  rmLoads: () => `${prefix}cmp:{rm}:loads`,
  /** Which RM holds each customer's open lead (a hash: customerId → rmId). */
  rmOwner: () => `${prefix}cmp:{rm}:owner`,
  /** A branch's RMs (a set). */
  rmBranch: (branchId: string) => `${prefix}cmp:{rm}:branch:${branchId}`,
  /** The customers whose open leads an RM holds (a set); the prefix is the assignment script's. */
  rmLeadsPrefix: () => `${prefix}cmp:{rm}:leads:`,
  /** Leads by status (or OPEN: every open one) and branch, scored by the lead's score (sorted sets): GET /v1/leads. */
  leadIndex: (status: string, branchId?: string) => `${prefix}cmp:leads:${status}${branchId === undefined ? '' : `:${branchId}`}`,
  /** An RM's open tasks (a sorted set by due time, then score: workListRank). */
  rmTasks: (rmId: string) => `${prefix}cmp:{rm}:tasks:${rmId}`,
  /** A customer's tasks, whatever their state (a set): what an erasure withdraws. */
  customerTasks: (customerId: string) => `${prefix}cmp:tasks:of:${customerId}`,
  /** Open tasks not yet escalated, by due time (a sorted set, ms): what the escalation reads. */
  tasksDue: () => `${prefix}cmp:tasks:due`,
  /** Leads written with a LeadAssigned still to announce (a sorted set by when marked, ms): what the settle job announces. */
  leadsUnannounced: () => `${prefix}cmp:leads:unannounced`,
  /** A customer's recent intent signals (a sorted set by time). */
  intent: (customerId: string) => `${prefix}cmp:intent:${customerId}`,
  /** Bumped on every change of a campaign: each instance re-reads its catalogue when it moved. */
  catalogueVersion: () => `${prefix}cmp:catalogue:version`,
});

export type CampaignKeys = ReturnType<typeof campaignKeys>;
