import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { nativeCollection } from '@meridian/shared';
import type { Connection } from 'mongoose';
import { CampaignStore } from '../application/ports/campaign-store.port';
import type { StoredCampaign } from '../domain/stored-campaign';

/** The definition is kept as JSON text: its rules hold `$` operators, which a stored document's keys may not (segmentation keeps its rules alike). */
type CampaignDoc = Omit<StoredCampaign, 'campaignId' | 'definition'> & { _id: string; definitionJson: string };

const toCampaign = ({ _id, definitionJson, ...doc }: CampaignDoc): StoredCampaign => ({ campaignId: _id, ...doc, definition: JSON.parse(definitionJson) as StoredCampaign['definition'] });
const toDoc = ({ campaignId, definition, ...campaign }: StoredCampaign): CampaignDoc => ({ _id: campaignId, ...campaign, definitionJson: JSON.stringify(definition) });

/** `campaigns` on MongoDB by `_id` (ADR 0005); the whole list is read by the catalogue every few seconds: a bank runs tens of campaigns. */
@Injectable()
export class CampaignRepository implements CampaignStore {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get campaigns() {
    return nativeCollection<CampaignDoc>(this.connection, 'campaigns');
  }

  async get(campaignId: string): Promise<StoredCampaign | undefined> {
    const doc = await this.campaigns.findOne({ _id: campaignId });
    return doc ? toCampaign(doc) : undefined;
  }

  async list(): Promise<StoredCampaign[]> {
    return (await this.campaigns.find({}).toArray()).map(toCampaign);
  }

  async insert(campaign: StoredCampaign): Promise<boolean> {
    try {
      await this.campaigns.insertOne(toDoc(campaign));
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return false;
      throw error;
    }
  }

  async replace(campaign: StoredCampaign, expectedVersion: number): Promise<boolean> {
    // The filter's _id finds the one document; the version is then checked on it alone.
    const { _id, ...replacement } = toDoc(campaign);
    const result = await this.campaigns.replaceOne({ _id, version: expectedVersion }, replacement);
    return result.matchedCount === 1;
  }
}
