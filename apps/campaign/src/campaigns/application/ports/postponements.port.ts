import type { TriggerEvent } from '../../domain/trigger-event';

/** A decision postponed by quiet hours, taken again for that one campaign at `until`; or one waiting for its profile, taken again at once and then as it retries. */
export type Postponement = { messageId: string; campaignId: string; trigger: TriggerEvent } & ({ until: string } | { waiting: true });

/** Delayed jobs (BullMQ) that re-take postponed decisions; one per message, whatever the redeliveries. */
export abstract class Postponements {
  abstract postpone(items: readonly Postponement[]): Promise<void>;
}
