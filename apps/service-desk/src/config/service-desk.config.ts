import { ServiceConfig } from '@meridian/shared';

/** service-desk's environment (README: configuration): the shared variables, its default port, and its own as they come. */
export class ServiceDeskConfig extends ServiceConfig {
  override PORT = 3005;
}
