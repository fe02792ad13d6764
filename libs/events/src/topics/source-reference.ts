import { RequiredString } from '../validation/fields';

/** Every inbound and canonical record names the producing system and its own customer reference. */
export abstract class SourceReferenced {
  @RequiredString(64)
  sourceSystem!: string;

  @RequiredString(128)
  sourceCustomerId!: string;
}

/** Kafka key of a core.* record: the producer's own customer reference (CONTRACTS.md §1). */
export function sourceRefKey(ref: { sourceSystem: string; sourceCustomerId: string }): string {
  return `${ref.sourceSystem}:${ref.sourceCustomerId}`;
}
