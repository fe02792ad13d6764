import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { TOPICS } from '@meridian/events';
import { EventPublisher, newEnvelope } from '@meridian/events/kafka';
import { Clock } from '@meridian/shared';
import { CampaignConfig } from '../../config/campaign.config';
import { CustomerContacts } from '../../customers/application/ports/customer-contacts.port';
import { CustomerRecords } from '../../customers/application/ports/customer-records.port';
import { DeliveryFailure, OutboundMessage, handOverOf } from '../domain/delivery';
import { CampaignCatalogue } from './campaign-catalogue';
import { ChannelGateway } from './ports/channel-gateway.port';
import { ResponseCounters } from './ports/response-counters.port';

const SOURCE = 'meridian-campaign';
/** A dispatched mark that Redis refused is tried this many times, this far apart (× the try), before the job is. */
const MARK_TRIES = 5;
const MARK_RETRY_MS = 200;

/** What became of a hand-over: done (now or before), given up on (reported), or to be tried at an instant without spending an attempt. */
export type DeliveryResult = 'DISPATCHED' | 'ALREADY_DISPATCHED' | 'FAILED' | { waitUntil: number };

/** Which attempt this is of a message's hand-over, and whether it is the last one allowed. */
export interface DeliveryAttempt {
  number: number;
  last: boolean;
}

type FailureReport = { attempts: number; code: string; message: string };

/**
 * One message handed to its channel (issue 12, point 4), exactly once in effect: a message
 * already dispatched is not handed over again (a redelivered job, a second request). Time has
 * passed since the decision, so the hand-over looks again (handOverOf): a paused campaign's
 * message and one in quiet hours wait; one whose campaign ended, that is too old, or whose
 * customer opted out of the channel or was erased since is given up on. A message handed over counts as
 * `dispatched` on the campaign, its channel and its variant. A failure is thrown back to be
 * tried again — unless it is final (refused, or the last attempt), when it is recorded as
 * `failed` and reported as CampaignDeliveryFailed under an event id of the message (a report
 * sent again is the same event); a message failed before is only reported again. An open
 * circuit waits for the gateway's trial instead of spending the attempt.
 */
@Injectable()
export class DeliverMessageUseCase {
  private readonly logger = new Logger('DeliverMessage');

  constructor(
    private readonly gateway: ChannelGateway,
    private readonly counters: ResponseCounters,
    private readonly catalogue: CampaignCatalogue,
    private readonly contacts: CustomerContacts,
    private readonly customers: CustomerRecords,
    private readonly publisher: EventPublisher,
    private readonly config: CampaignConfig,
    private readonly clock: Clock,
  ) {}

  async execute(message: OutboundMessage, attempt: DeliveryAttempt): Promise<DeliveryResult> {
    const key = { campaignId: message.campaignId, messageId: message.messageId };
    if ((await this.counters.markOf({ ...key, kind: 'dispatched' })) !== undefined) return 'ALREADY_DISPATCHED';
    const before = await this.counters.markOf({ ...key, kind: 'failed' });
    if (before !== undefined) return this.report(message, JSON.parse(before) as FailureReport);
    const report = await this.handOver(message, attempt);
    if (report === 'DISPATCHED' || typeof report !== 'object' || 'waitUntil' in report) return report;
    this.logger.warn(`message ${message.messageId} of ${message.campaignId} not delivered on ${message.channel} after ${report.attempts} attempt(s): ${report.code} ${report.message}`);
    // Recorded first, with what the report says: a report that did not go out goes out again, the same.
    await this.counters.record([{ ...key, kind: 'failed', detail: JSON.stringify(report) }]);
    return this.report(message, report);
  }

  /** DISPATCHED, a wait, or the report of a final failure; throws a failure worth another attempt. */
  private async handOver(message: OutboundMessage, attempt: DeliveryAttempt): Promise<'DISPATCHED' | { waitUntil: number } | FailureReport> {
    await this.catalogue.ready();
    const stored = this.catalogue.get(message.campaignId)?.stored;
    const [holds, erased] = await Promise.all([this.contacts.holdsOf([message.customerId]).then((h) => h.get(message.customerId)), this.customers.get([message.customerId]).then((r) => r.get(message.customerId)?.status === 'ERASED')]);
    const now = this.clock.now().toISOString();
    const rules = this.config.rules;
    const verdict = handOverOf({ message, now, campaign: stored && { status: stored.status, endAt: stored.definition.endAt }, optedOut: holds?.optedOut ?? [], erased, maxAgeHours: this.config.CAMPAIGN_DELIVERY_MAX_AGE_HOURS, rules });
    if (verdict.kind === 'WAIT') return { waitUntil: Date.parse(verdict.until) };
    if (verdict.kind === 'DROP') return { attempts: attempt.number, code: verdict.code, message: verdict.message };
    try {
      await this.gateway.deliver(message);
    } catch (error) {
      const failure = error instanceof DeliveryFailure ? error : new DeliveryFailure('ERROR', (error as Error)?.message ?? String(error), true);
      if (failure.retryAt !== undefined) return { waitUntil: failure.retryAt };
      if (failure.retryable && !attempt.last) throw failure;
      return { attempts: attempt.number, code: failure.code, message: failure.message.slice(0, 500) || failure.code };
    }
    // Handed over: the mark is kept, tried a few times here (a next attempt would look at the message again and might give up on one that went).
    const mark = () => this.counters.record([{ campaignId: message.campaignId, messageId: message.messageId, kind: 'dispatched' }]);
    for (let tries = 1; ; tries++) {
      try {
        await mark();
        return 'DISPATCHED';
      } catch (error) {
        if (tries >= MARK_TRIES) throw error;
        await sleep(MARK_RETRY_MS * tries);
      }
    }
  }

  private async report(message: OutboundMessage, report: FailureReport): Promise<'FAILED'> {
    const payload = { customerId: message.customerId, campaignId: message.campaignId, messageId: message.messageId, channel: message.channel, ...report };
    await this.publisher.publish(TOPICS.campaign, newEnvelope('CampaignDeliveryFailed', payload, { eventId: `${message.messageId}.delivery-failed`, source: SOURCE, customerId: message.customerId, occurredAt: this.clock.now().toISOString() }));
    return 'FAILED';
  }
}
