import { Logger } from '@nestjs/common';
import { appendFile } from 'node:fs/promises';
import { ChannelGateway } from '../application/ports/channel-gateway.port';
import type { OutboundMessage } from '../domain/delivery';

/**
 * The file/log adapter for local runs (issue 12, point 4): each message appended as one JSON line
 * to `file` (an outbox a developer or a test can read), or written to the log when there is
 * none. Nothing leaves the machine.
 */
export class OutboxGateway extends ChannelGateway {
  private readonly logger = new Logger('OutboxGateway');

  constructor(private readonly file?: string) {
    super();
  }

  async deliver(message: OutboundMessage): Promise<void> {
    if (this.file) await appendFile(this.file, `${JSON.stringify(message)}\n`, 'utf8');
    else this.logger.log(`${message.channel} ${message.messageId} to ${message.customerId}: ${message.content}`);
  }
}
