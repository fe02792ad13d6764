import type { TriggerEvent } from '../../domain/trigger-event';

/** A decision postponed by quiet hours: taken again, for that one campaign, at `until`. */
export interface Postponement {
  messageId: string;
  campaignId: string;
  trigger: TriggerEvent;
  until: string;
}

/** Delayed jobs (BullMQ) that re-take postponed decisions; one per message, whatever the redeliveries. */
export abstract class Postponements {
  abstract postpone(items: readonly Postponement[]): Promise<void>;
}
