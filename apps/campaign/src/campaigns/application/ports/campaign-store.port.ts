import type { StoredCampaign } from '../../domain/stored-campaign';

/** The campaign definitions, by id (a bank has tens to hundreds: the list is read whole). */
export abstract class CampaignStore {
  abstract get(campaignId: string): Promise<StoredCampaign | undefined>;
  abstract list(): Promise<StoredCampaign[]>;
  /** False when the id is taken. */
  abstract insert(campaign: StoredCampaign): Promise<boolean>;
  /** False when the stored version is no longer `expectedVersion` (another edit came first). */
  abstract replace(campaign: StoredCampaign, expectedVersion: number): Promise<boolean>;
}
