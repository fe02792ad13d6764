/** A number every instance can read, moved on every change of a campaign: an instance whose catalogue is older reads it again. */
export abstract class CatalogueVersions {
  abstract current(): Promise<number>;
  abstract bump(): Promise<number>;
}
