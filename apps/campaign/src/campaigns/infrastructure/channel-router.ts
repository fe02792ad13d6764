import type { MarketingChannel } from '@meridian/events';
import { ChannelGateway } from '../application/ports/channel-gateway.port';
import type { OutboundMessage } from '../domain/delivery';

/** Each channel's adapter behind the one port: `phone` to the RMs' work lists, the others to the configured gateway. */
export class ChannelRouter extends ChannelGateway {
  constructor(
    private readonly byChannel: Partial<Record<MarketingChannel, ChannelGateway>>,
    private readonly otherwise: ChannelGateway,
  ) {
    super();
  }

  deliver(message: OutboundMessage): Promise<void> {
    return (this.byChannel[message.channel] ?? this.otherwise).deliver(message);
  }
}
