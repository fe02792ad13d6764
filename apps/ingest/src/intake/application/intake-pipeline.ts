import { Injectable, Logger } from '@nestjs/common';
import { CustomerUpserted, DeadLetterCode, DecodeResult, EventEnvelope, FieldError } from '@meridian/events';
import { EventPublisher, OutgoingEvent } from '@meridian/events/kafka';
import { BlindIndex, Clock } from '@meridian/shared';
import { IngestConfig } from '../../config/ingest.config';
import { recordKeys } from '../../identity/domain/identity-keys';
import { IdentityResolver, ResolveRecord } from '../../identity/application/identity-resolver';
import { IdentityStore } from '../../identity/application/ports/identity-store.port';
import { QualityMonitor, QualityObservation } from '../../quality/application/quality-monitor';
import { businessRuleErrors, canonicalEvent } from '../domain/canonical-event';
import { validateInbound } from '../domain/inbound-validation';
import { DedupRun, EventDedup } from './ports/event-dedup.port';

/**
 * One record for the pipeline: from Kafka already decoded against its core.* topic; from
 * HTTP or CSV a parsed JSON value whose `type` names its topic.
 */
export type IntakeItem = { decoded: DecodeResult; topic: string } | { raw: unknown };

export type IntakeResult =
  | { status: 'accepted'; eventId: string; customerId: string }
  | { status: 'duplicate'; eventId: string; customerId?: string }
  | { status: 'rejected'; eventId?: string; code: DeadLetterCode; message: string; errors: FieldError[] };

interface Candidate {
  index: number;
  topic: string;
  envelope: EventEnvelope;
}

function rejected(decoded: Extract<DecodeResult, { ok: false }>): IntakeResult {
  return { status: 'rejected', ...(decoded.eventId ? { eventId: decoded.eventId } : {}), code: decoded.code, message: decoded.message, errors: decoded.errors };
}

/**
 * Ingest's one pipeline for all three ways in (Kafka core.*.v1, POST /v1/events, CSV):
 * validate (contract rules, then money, FX and age rules) → de-duplicate by eventId (Redis
 * window, durable guard) → resolve identity (blind-indexed keys, one customer per person,
 * merges and conflicts announced) → publish the canonical crm.* events keyed by customer,
 * in input order → record them done → count data quality. Every item gets one answer:
 * accepted, duplicate, or rejected with the field and rule. A failure of a server throws,
 * and the whole batch is retried: every step is idempotent.
 */
@Injectable()
export class IntakePipeline {
  private readonly logger = new Logger(IntakePipeline.name);

  constructor(
    private readonly config: IngestConfig,
    private readonly blindIndex: BlindIndex,
    private readonly resolver: IdentityResolver,
    private readonly identities: IdentityStore,
    private readonly dedup: EventDedup,
    private readonly quality: QualityMonitor,
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
  ) {}

  /** `heartbeat`: called while the run waits for another run holding the same eventIds (Kafka group membership). */
  async execute(items: readonly IntakeItem[], options: { heartbeat?: () => Promise<void> } = {}): Promise<IntakeResult[]> {
    const at = this.clock.now();
    const fx = this.config.fxTable;
    const results = new Array<IntakeResult>(items.length);
    const observations = new Array<QualityObservation>(items.length);
    const candidates: Candidate[] = [];

    items.forEach((item, index) => {
      let decoded: DecodeResult;
      let topic: string;
      if ('decoded' in item) {
        decoded = item.decoded;
        topic = item.topic;
      } else {
        ({ decoded, topic } = validateInbound(item.raw));
      }
      if (!decoded.ok) {
        results[index] = rejected(decoded);
        observations[index] = { source: decoded.source ?? 'unknown', failed: decoded.errors };
        return;
      }
      const envelope = decoded.envelope;
      const errors = businessRuleErrors(envelope, fx);
      observations[index] = { source: (envelope.payload as { sourceSystem: string }).sourceSystem, failed: errors };
      if (errors.length) {
        results[index] = { status: 'rejected', eventId: envelope.eventId, code: 'INVALID_PAYLOAD', message: errors.map((e) => e.message).join('; '), errors };
        return;
      }
      candidates.push({ index, topic, envelope });
    });
    // The same eventId twice in one batch: the first counts.
    const firstOf = new Map<string, Candidate>();
    const fresh: Candidate[] = [];
    const sameBatch: Candidate[] = [];
    for (const c of candidates) {
      if (firstOf.has(c.envelope.eventId)) sameBatch.push(c);
      else {
        firstOf.set(c.envelope.eventId, c);
        fresh.push(c);
      }
    }

    // Seen before: the Redis window, then the durable guard (waiting for a run at work on the same eventIds).
    const run = await this.dedup.begin(fresh.map((c) => c.envelope.eventId), at, options.heartbeat);
    const known = run.done;
    const toApply = fresh.filter((c) => !known.has(c.envelope.eventId));
    const accepted = new Map<string, string>();
    try {
      await this.apply(toApply, run, accepted, at, options.heartbeat);
    } catch (error) {
      // Given up at once, so the retry of this batch takes its eventIds over without waiting for the lease.
      await this.dedup.abandon(run);
      throw error;
    }

    for (const c of fresh) {
      const id = c.envelope.eventId;
      const customerId = accepted.get(id);
      results[c.index] = customerId ? { status: 'accepted', eventId: id, customerId } : { status: 'duplicate', eventId: id, customerId: known.get(id) };
    }
    for (const c of sameBatch) {
      const id = c.envelope.eventId;
      results[c.index] = { status: 'duplicate', eventId: id, customerId: accepted.get(id) ?? known.get(id) };
    }
    // A record counts once: its duplicates (a replay, a retry) do not weigh on the rates again.
    await this.quality.record(observations.filter((_, i) => results[i].status !== 'duplicate'), at);
    return results;
  }

  /** Resolves identity, publishes the canonical events in input order, records the run done. */
  private async apply(toApply: Candidate[], run: DedupRun, accepted: Map<string, string>, at: Date, heartbeat?: () => Promise<void>): Promise<void> {
    if (!toApply.length) return this.dedup.finish(run, accepted, at);
    const fx = this.config.fxTable;
    const hash = (kind: string, value: string) => this.blindIndex.compute(kind, value);
    const records: ResolveRecord[] = toApply.map(({ envelope }) => {
      const p = envelope.payload as Partial<CustomerUpserted> & { sourceSystem: string; sourceCustomerId: string };
      return {
        eventId: envelope.eventId,
        occurredAt: envelope.occurredAt,
        correlationId: envelope.correlationId,
        keys: recordKeys(
          envelope.type === 'CustomerUpserted'
            ? { sourceSystem: p.sourceSystem, sourceCustomerId: p.sourceCustomerId, idType: p.idType, idNumber: p.idNumber, phone: p.phone }
            : { sourceSystem: p.sourceSystem, sourceCustomerId: p.sourceCustomerId },
          hash,
        ),
      };
    });
    const resolution = await this.resolver.resolve(records, at, { heartbeat });
    const events: OutgoingEvent[] = [...resolution.events];
    toApply.forEach((c, i) => {
      const customerId = resolution.plans[i].customerId;
      // trusted: canonical-event.spec proves every canonical form of a valid input valid on its topic.
      events.push({ ...canonicalEvent(c.topic, c.envelope, customerId, fx), trusted: true });
      accepted.set(c.envelope.eventId, customerId);
    });
    await this.publisher.publishAll(events);
    // Published: the run is recorded done, and the outbox entries go — best effort: an entry
    // left over is finished by the relay (idempotently), while a failure here must not have
    // the published run given up and published again.
    await this.dedup.finish(run, accepted, at);
    await this.identities.deleteOutbox(resolution.outboxIds).catch((error: Error) => this.logger.warn(`identity outbox entries left for the relay: ${error.message}`));
  }
}
