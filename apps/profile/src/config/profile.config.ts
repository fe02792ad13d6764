import { ServiceConfig } from '@meridian/shared';

/** profile's environment (README: configuration): the shared variables, its default port, and its own as they come. */
export class ProfileConfig extends ServiceConfig {
  override PORT = 3002;
}
