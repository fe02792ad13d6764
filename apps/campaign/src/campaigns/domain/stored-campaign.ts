import type { CampaignDefinition } from './campaign-definition';
import type { CampaignStatus } from './campaign-status';

/** A campaign as the service keeps it: its id, its definition at a version, and where it stands. */
export interface StoredCampaign {
  campaignId: string;
  version: number;
  status: CampaignStatus;
  definition: CampaignDefinition;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
}
