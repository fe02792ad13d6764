import { Injectable, Logger } from '@nestjs/common';
import { TOPICS } from '@meridian/events';
import { EventPublisher, newEnvelope } from '@meridian/events/kafka';
import { Clock } from '@meridian/shared';
import { DeliveryFailure, OutboundMessage } from '../domain/delivery';
import { ChannelGateway } from './ports/channel-gateway.port';
import { ResponseCounters } from './ports/response-counters.port';

const SOURCE = 'meridian-campaign';

export type DeliveryResult = 'DISPATCHED' | 'ALREADY_DISPATCHED' | 'FAILED';

/** Which attempt this is of a message's hand-over, and whether it is the last one allowed. */
export interface DeliveryAttempt {
  number: number;
  last: boolean;
}

/**
 * One message handed to its channel (issue 12, point 4), exactly once in effect: a message
 * already dispatched is not handed over again (a redelivered job, a second request); one handed
 * over counts as `dispatched` on the campaign, its channel and its variant. A failure is thrown
 * back to be tried again — unless it is final (refused, or the last attempt), when it is
 * recorded as `failed` and reported as CampaignDeliveryFailed, under an event id of the message
 * (a report sent again is the same event). A message failed before is only reported again.
 */
@Injectable()
export class DeliverMessageUseCase {
  private readonly logger = new Logger('DeliverMessage');

  constructor(
    private readonly gateway: ChannelGateway,
    private readonly counters: ResponseCounters,
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
  ) {}

  async execute(message: OutboundMessage, attempt: DeliveryAttempt): Promise<DeliveryResult> {
    const key = { campaignId: message.campaignId, messageId: message.messageId };
    if ((await this.counters.markOf({ ...key, kind: 'dispatched' })) !== undefined) return 'ALREADY_DISPATCHED';
    const before = await this.counters.markOf({ ...key, kind: 'failed' });
    let report: FailureReport;
    if (before !== undefined) {
      report = JSON.parse(before) as FailureReport;
    } else {
      try {
        await this.gateway.deliver(message);
        await this.counters.record([{ ...key, kind: 'dispatched' }]);
        return 'DISPATCHED';
      } catch (error) {
        const failure = error instanceof DeliveryFailure ? error : new DeliveryFailure(codeOf(error), (error as Error).message, true);
        if (failure.retryable && !attempt.last) throw failure;
        report = { attempts: attempt.number, code: failure.code, message: failure.message.slice(0, 500) || failure.code };
      }
      this.logger.warn(`message ${message.messageId} of ${message.campaignId} not delivered on ${message.channel} after ${report.attempts} attempt(s): ${report.code} ${report.message}`);
      // Recorded first, with what the report says: a report that did not go out goes out again, the same.
      await this.counters.record([{ ...key, kind: 'failed', detail: JSON.stringify(report) }]);
    }
    const payload = { customerId: message.customerId, ...key, channel: message.channel, ...report };
    await this.publisher.publish(TOPICS.campaign, newEnvelope('CampaignDeliveryFailed', payload, { eventId: `${message.messageId}.delivery-failed`, source: SOURCE, customerId: message.customerId, occurredAt: this.clock.now().toISOString() }));
    return 'FAILED';
  }
}

type FailureReport = { attempts: number; code: string; message: string };

/** A thrown error's code for the report: a timeout or an open circuit by name, else its class. */
function codeOf(error: unknown): string {
  const name = (error as Error)?.name ?? 'Error';
  if (name === 'TaskCancelledError' || name === 'TimeoutError' || name === 'AbortError') return 'TIMEOUT';
  if (name === 'BrokenCircuitError') return 'CIRCUIT_OPEN';
  return name.replace(/[^A-Za-z0-9_]/g, '').slice(0, 64) || 'ERROR';
}
