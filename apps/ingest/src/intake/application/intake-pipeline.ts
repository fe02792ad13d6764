import { Injectable, Logger } from '@nestjs/common';
import { CustomerUpserted, DeadLetterCode, DecodeResult, EventEnvelope, FieldError } from '@meridian/events';
import { EventPublisher, OutgoingEvent } from '@meridian/events/kafka';
import { BlindIndex, Clock } from '@meridian/shared';
import { IngestConfig } from '../../config/ingest.config';
import { recordKeys } from '../../identity/domain/identity-keys';
import { IdentityResolver, ResolveRecord } from '../../identity/application/identity-resolver';
import { IdentityStore } from '../../identity/application/ports/identity-store.port';
import { QualityMonitor, QualityObservation } from '../../quality/application/quality-monitor';
import { BusinessKey, businessKeyOf } from '../domain/business-key';
import { INTAKE_RULES, businessRuleErrors, canonicalEvent } from '../domain/canonical-event';
import { DedupVerdict, DuplicateKey, dedupClaims, dedupVerdicts } from '../domain/dedup-verdicts';
import { validateInbound } from '../domain/inbound-validation';
import { DedupRun, DoneClaim, EventDedup } from './ports/event-dedup.port';
import { IntakeDoor, IntakeMetrics } from './ports/intake-metrics.port';

/**
 * One record for the pipeline: from Kafka already decoded against its core.* topic; from
 * HTTP or CSV a parsed JSON value whose `type` names its topic.
 */
export type IntakeItem = { decoded: DecodeResult; topic: string } | { raw: unknown };

export type IntakeResult =
  | { status: 'accepted'; eventId: string; customerId: string }
  /** `duplicateKey`: what matched — the eventId, or the business key (`transactionId`/`interactionId` with `sourceSystem`). */
  | { status: 'duplicate'; eventId: string; customerId?: string; duplicateKey: DuplicateKey }
  | { status: 'rejected'; eventId?: string; code: DeadLetterCode; message: string; errors: FieldError[] };

interface Candidate {
  index: number;
  topic: string;
  envelope: EventEnvelope;
  businessKey?: BusinessKey;
}

function rejected(decoded: Extract<DecodeResult, { ok: false }>): IntakeResult {
  return { status: 'rejected', ...(decoded.eventId ? { eventId: decoded.eventId } : {}), code: decoded.code, message: decoded.message, errors: decoded.errors };
}

/** A record that repeats a business key with other content: rejected naming the key's field (issue 9, point 6). */
function conflict(c: Candidate, verdict: Extract<DedupVerdict, { kind: 'conflict' }>): Extract<IntakeResult, { status: 'rejected' }> {
  const p = c.envelope.payload as Record<string, string>;
  const field = verdict.field;
  const message = `${field} ${p[field]} of sourceSystem ${p.sourceSystem} was taken on before with other content (a ${c.envelope.type} is counted once; a correction needs its own ${field})`;
  return { status: 'rejected', eventId: c.envelope.eventId, code: 'REJECTED', message, errors: [{ field, rule: INTAKE_RULES.consistentRepost, message }] };
}

/**
 * Ingest's one pipeline for all three ways in (Kafka core.*.v1, POST /v1/events, CSV):
 * validate (contract rules, then money, FX and age rules) → de-duplicate by eventId and by
 * business key (Redis window, durable guard; a repeated key with other content is rejected)
 * → resolve identity (blind-indexed keys, one customer per person,
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
    private readonly metrics: IntakeMetrics,
    private readonly clock: Clock,
  ) {}

  /**
   * `door`: the way the items came in, for the duplicate counters. `heartbeat`: called while
   * the run waits for another run holding the same eventIds or business keys (Kafka group membership).
   */
  async execute(items: readonly IntakeItem[], options: { door: IntakeDoor; heartbeat?: () => Promise<void> }): Promise<IntakeResult[]> {
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
      candidates.push({ index, topic, envelope, businessKey: businessKeyOf(envelope, fx) });
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

    // Seen before, by eventId or by business key: the Redis window, then the durable guard
    // (waiting for a run at work on the same claims). One claim per eventId and per business key.
    const dedupOf = (c: Candidate) => ({ eventId: c.envelope.eventId, businessKey: c.businessKey });
    const run = await this.dedup.begin(dedupClaims(fresh.map(dedupOf)), at, options.heartbeat);
    const known = run.done;
    const verdicts = dedupVerdicts(fresh.map(dedupOf), known);
    const toApply = fresh.filter((_, i) => verdicts[i].kind === 'apply');
    const accepted = new Map<string, string>();
    try {
      // A conflicting record is not taken on: its eventId claim goes back, so a re-send is judged again.
      await this.dedup.release(run, fresh.filter((_, i) => verdicts[i].kind === 'conflict').map((c) => c.envelope.eventId));
      // While identity resolution waits (another instance's claims, merge leases), this run's claims stay alive.
      const heartbeat = async () => {
        await options.heartbeat?.();
        await this.dedup.keepAlive(run);
      };
      await this.apply(toApply, run, accepted, at, heartbeat);
    } catch (error) {
      // Given up at once, so the retry of this batch takes its claims over without waiting for the lease.
      await this.dedup.abandon(run);
      throw error;
    }

    const duplicate = (eventId: string, duplicateKey: DuplicateKey, customerId: string | undefined): IntakeResult => {
      this.metrics.duplicate(options.door, duplicateKey);
      return { status: 'duplicate', eventId, ...(customerId ? { customerId } : {}), duplicateKey };
    };
    const appliedTo = (eventId: string): string => {
      const customerId = accepted.get(eventId);
      if (!customerId) throw new Error(`eventId ${eventId} was to be applied but has no customer`);
      return customerId;
    };
    fresh.forEach((c, i) => {
      const id = c.envelope.eventId;
      const verdict = verdicts[i];
      if (verdict.kind === 'apply') results[c.index] = { status: 'accepted', eventId: id, customerId: appliedTo(id) };
      else if (verdict.kind === 'duplicate') results[c.index] = duplicate(id, verdict.key, verdict.customerId ?? (verdict.of ? accepted.get(verdict.of) : undefined));
      else {
        const result = conflict(c, verdict);
        results[c.index] = result;
        observations[c.index] = { ...observations[c.index], failed: result.errors };
      }
    });
    for (const c of sameBatch) {
      const id = c.envelope.eventId;
      const first = firstOf.get(id);
      const firstResult = first ? results[first.index] : undefined;
      // A copy of a record rejected as a conflict is rejected the same way (on Kafka: dead-lettered), not answered duplicate.
      results[c.index] = firstResult?.status === 'rejected' ? firstResult : duplicate(id, 'eventId', accepted.get(id) ?? known.get(id)?.customerId);
    }
    // A record counts once: its duplicates (a replay, a retry) do not weigh on the rates again.
    await this.quality.record(observations.filter((_, i) => results[i].status !== 'duplicate'), at);
    return results;
  }

  /** Resolves identity, publishes the canonical events in input order, records the run done. */
  private async apply(toApply: Candidate[], run: DedupRun, accepted: Map<string, string>, at: Date, heartbeat?: () => Promise<void>): Promise<void> {
    if (!toApply.length) return this.dedup.finish(run, new Map(), at);
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
    const done = new Map<string, DoneClaim>();
    toApply.forEach((c, i) => {
      const customerId = resolution.plans[i].customerId;
      // trusted: canonical-event.spec proves every canonical form of a valid input valid on its topic.
      events.push({ ...canonicalEvent(c.topic, c.envelope, customerId, fx), trusted: true });
      accepted.set(c.envelope.eventId, customerId);
      done.set(c.envelope.eventId, { customerId });
      if (c.businessKey) done.set(c.businessKey.id, { customerId, fingerprint: c.businessKey.fingerprint });
    });
    await this.publisher.publishAll(events);
    // Published: the run is recorded done, and the outbox entries go — best effort: an entry
    // left over is finished by the relay (idempotently), while a failure here must not have
    // the published run given up and published again.
    await this.dedup.finish(run, done, at);
    await this.identities.deleteOutbox(resolution.outboxIds).catch((error: Error) => this.logger.warn(`identity outbox entries left for the relay: ${error.message}`));
  }
}
