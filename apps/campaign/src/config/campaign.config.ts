import { ServiceConfig } from '@meridian/shared';

/** campaign's environment (README: configuration): the shared variables, its default port, and its own as they come. */
export class CampaignConfig extends ServiceConfig {
  override PORT = 3004;
}
