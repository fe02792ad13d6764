import { Logger } from '@nestjs/common';
import { BrokenCircuitError, ConsecutiveBreaker, ExponentialBackoff, IPolicy, TaskCancelledError, TimeoutStrategy, circuitBreaker, handleWhen, retry, timeout, wrap } from 'cockatiel';
import { createHmac } from 'node:crypto';
import { ChannelGateway } from '../application/ports/channel-gateway.port';
import { DeliveryFailure, OutboundMessage, verdictOfStatus } from '../domain/delivery';

export interface WebhookOptions {
  url: string;
  /** When set, each body is signed: `x-meridian-signature: sha256=<hex HMAC of the body>`. */
  secret?: string;
  timeoutMs: number;
  /** Tries within one hand-over (the queue's attempts come on top, minutes apart). */
  tries: number;
  /** Consecutive failures that open the circuit, and how long it stays open before one trial. */
  breakAfter: number;
  halfOpenAfterMs: number;
  /** The clock's instant, ms (an open circuit's message waits until its trial). */
  now: () => number;
}

const worthRetrying = (e: unknown) => !(e instanceof BrokenCircuitError) && (!(e instanceof DeliveryFailure) || e.retryable);

/**
 * The HTTP webhook adapter (issue 12, point 4): POSTs each message as JSON to the bank's channel
 * gateway (SMS, push, e-mail, WeChat: the gateway knows the customer's address; Meridian sends
 * the customer id and the rendered copy, no contact detail), with `idempotency-key: <messageId>`
 * — a message tried again is the same message to the gateway, which keeps one. Each try is cut
 * at `timeoutMs`; a failing try is tried again with exponential backoff (cockatiel); after
 * `breakAfter` consecutive failures the circuit opens: hand-overs are not tried, and wait (their
 * jobs delayed, spending no attempt) until a trial after `halfOpenAfterMs` goes through. A refusal (4xx) is
 * final and does not count against the gateway's health.
 */
export class WebhookGateway extends ChannelGateway {
  private readonly logger = new Logger('WebhookGateway');
  private readonly policy: IPolicy;

  constructor(private readonly options: WebhookOptions) {
    super();
    const breaker = circuitBreaker(handleWhen(worthRetrying), { halfOpenAfter: options.halfOpenAfterMs, breaker: new ConsecutiveBreaker(options.breakAfter) });
    breaker.onStateChange((state) => this.logger.warn(`circuit to ${options.url} is ${['CLOSED', 'OPEN', 'HALF-OPEN', 'ISOLATED'][state] ?? state}`));
    const retries = retry(handleWhen(worthRetrying), { maxAttempts: Math.max(0, options.tries - 1), backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 2_000 }) });
    this.policy = wrap(retries, breaker, timeout(options.timeoutMs, TimeoutStrategy.Aggressive));
  }

  async deliver(message: OutboundMessage): Promise<void> {
    const body = JSON.stringify(message);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': message.messageId };
    if (this.options.secret) headers['x-meridian-signature'] = `sha256=${createHmac('sha256', this.options.secret).update(body).digest('hex')}`;
    try {
      await this.policy.execute(async ({ signal }) => {
        // A redirect is not followed: a POST answered 3xx would become a GET elsewhere, and its 200 would be no delivery.
        const res = await fetch(this.options.url, { method: 'POST', headers, body, signal, redirect: 'manual' });
        // The body is read (and dropped) so the connection goes back to the pool.
        await res.arrayBuffer().catch(() => undefined);
        const verdict = verdictOfStatus(res.status);
        if (verdict !== 'ACCEPTED') throw verdict;
      });
    } catch (error) {
      throw failureOf(error, () => this.options.now() + this.options.halfOpenAfterMs);
    }
  }
}

/** A thrown error as the report names it: a timeout, an open circuit (wait for its trial), a refusal or failure as the gateway answered, else what the network said. */
function failureOf(error: unknown, trialAt: () => number): DeliveryFailure {
  if (error instanceof DeliveryFailure) return error;
  if (error instanceof BrokenCircuitError) return new DeliveryFailure('CIRCUIT_OPEN', 'the circuit to the gateway is open', true, trialAt());
  if (error instanceof TaskCancelledError) return new DeliveryFailure('TIMEOUT', 'the gateway did not answer in time', true);
  const cause = (error as { cause?: { code?: string } })?.cause?.code;
  return new DeliveryFailure(cause ? `NETWORK_${cause}`.slice(0, 64) : 'NETWORK', (error as Error)?.message ?? String(error), true);
}
