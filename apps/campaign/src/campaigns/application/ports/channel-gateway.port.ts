import type { OutboundMessage } from '../../domain/delivery';

/**
 * Issue 12, point 4: the one port every channel adapter stands behind — hands one message to its
 * channel (a gateway's webhook, a local outbox, an RM's work list). Resolves once the channel
 * took it; throws a DeliveryFailure (or any error: retried) when it did not. Keyed by the
 * message id, so a hand-over tried again is the same message to the channel.
 */
export abstract class ChannelGateway {
  abstract deliver(message: OutboundMessage): Promise<void>;
}
