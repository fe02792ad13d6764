import type { OutboundMessage } from '../../domain/delivery';

/** Requested messages waiting for their hand-over, one per message id however often it is asked for. */
export abstract class DeliveryQueue {
  abstract enqueue(messages: readonly OutboundMessage[]): Promise<void>;
}
