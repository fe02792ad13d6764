import { setTimeout as sleep } from 'node:timers/promises';
import { Consumer, EachBatchPayload, Kafka, KafkaMessage, PartitionAssigners } from 'kafkajs';
import { CoPartitionedAssigner } from './co-partitioned-assigner';
import type { EventEnvelope } from '../envelope/event-envelope';
import { checkBatchTypes, typeHeader } from './batch-types';
import { TOPIC_REGISTRY, TOPICS, TopicRegistry } from '../topics/topic-registry';
import type { BatchHandler, EventHandler, RunHandler } from './consumer-types';
import type { EventPublisher } from './event-publisher';
import { perTypeHandler } from './per-type-handler';
import { ConsumerMetrics, EventLogger, IdempotencyGuard, noMetrics, silentLogger } from './ports';
import { DEFAULT_RETRY, RetryPolicy } from './retry-policy';
import { RunProcessor, StopRequested } from './run-processor';

export * from './consumer-types';
export * from './dead-letter-reason';
export * from './retry-policy';
export { OutageDetected } from './run-processor';

/** How long stop() waits for a start in flight to see it. */
const STOP_WAITS_FOR_START_MS = 5_000;

export interface ConsumerRunnerOptions {
  kafka: Kafka;
  /** The service's consumer group, e.g. `meridian-profile`. */
  groupId: string;
  /** The service name written into dead letters. */
  service: string;
  /** Logical topics (TOPICS values); the runner reads prefix + topic. */
  topics: string[];
  /** Physical topic = prefix + logical topic (KAFKA_TOPIC_PREFIX). */
  topicPrefix?: string;
  /** Event type → handler. Types allowed on a topic but without a handler are skipped. */
  handlers: Map<string, EventHandler>;
  /**
   * Logical topic → batch handler: that topic's records are handed over in runs of up to
   * `maxBatchSize` (throughput: one database round trip and one produce per run, not per
   * record). Per-type handlers are not used for such a topic.
   */
  batchHandlers?: Map<string, BatchHandler>;
  /**
   * Logical topic → the event types its batch handler takes (each registered on that crm.*
   * topic): a record whose `type` header names another type registered there is passed over
   * undecoded (it is not this consumer's input — a consumer of its type checks it) and counted
   * `skipped`; one without the header, or whose header names no type of the topic, is decoded,
   * as on any topic. Not for core.* topics: their producers are the bank's systems, and a
   * header there is theirs.
   */
  batchTypes?: Map<string, ReadonlySet<string>>;
  /** Largest run handed to a batch handler (default 500). */
  maxBatchSize?: number;
  /** Publishes dead letters; shared with the service's own publishing. */
  deadLetters: EventPublisher;
  deadLetterTopic?: string;
  /** Idempotency of per-type handlers (batch handlers own theirs). */
  guard?: IdempotencyGuard;
  retry?: Partial<RetryPolicy>;
  registry?: TopicRegistry;
  fromBeginning?: boolean;
  partitionsConsumedConcurrently?: number;
  /** Commit at least every N settled records inside a batch (and always at its end). */
  commitEvery?: number;
  logger?: EventLogger;
  metrics?: ConsumerMetrics;
  sessionTimeoutMs?: number;
  /**
   * Resolves when the service's own dependencies answer — its database, its cache. Required:
   * it is how failing records are told apart from an outage. With it healthy, records that
   * keep failing are poison and are dead-lettered; with it failing, nothing is.
   */
  probe: () => Promise<void>;
  /** Runs before the group is joined, e.g. creating topics. */
  prepare?: () => Promise<void>;
  /** Wraps each per-type handler call, e.g. to scope logs to the event's correlationId. */
  around?: <T>(envelope: EventEnvelope, run: () => Promise<T>) => Promise<T>;
}

/**
 * Runs a consumer group on kafkajs `eachBatch`, partitions in parallel, each partition's
 * records in offset order (order per customer is preserved), every record through the one
 * pipeline of RunProcessor: batch handlers get runs of up to `maxBatchSize`, per-type
 * handlers runs of one. Offsets are committed only after a record's effect (or its dead
 * letter) is durable. `stop()` lets the run in flight finish, commits, and leaves the group.
 */
export class ConsumerRunner {
  private readonly consumer: Consumer;
  private readonly processor: RunProcessor;
  private readonly perType: RunHandler;
  private readonly logger: EventLogger;
  private readonly metrics: ConsumerMetrics;
  private stopping = false;
  private running = false;
  private starting?: Promise<void>;
  private paused = false;
  /** eachBatch calls under way: pause() waits for them. */
  private inFlight = 0;

  constructor(private readonly options: ConsumerRunnerOptions) {
    checkBatchTypes(options.batchTypes, options.registry ?? TOPIC_REGISTRY);
    this.logger = options.logger ?? silentLogger;
    this.metrics = options.metrics ?? noMetrics;
    this.processor = new RunProcessor({
      service: options.service,
      groupId: options.groupId,
      deadLetterTopic: options.deadLetterTopic ?? TOPICS.deadLetter,
      registry: options.registry ?? TOPIC_REGISTRY,
      retry: { ...DEFAULT_RETRY, ...options.retry },
      deadLetters: options.deadLetters,
      logger: this.logger,
      metrics: this.metrics,
      probe: options.probe,
      pause: (ms, heartbeat) => this.backoff(ms, heartbeat),
    });
    this.perType = perTypeHandler({
      handlers: options.handlers,
      guard: options.guard,
      groupId: options.groupId,
      around: options.around ?? ((_envelope, run) => run()),
    });
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      // One instance owns a partition number across all topics: one writer per customer.
      partitionAssigners: [CoPartitionedAssigner, PartitionAssigners.roundRobin],
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: 3_000,
      allowAutoTopicCreation: false,
      retry: { retries: 10 },
    });
    // kafkajs restarts a crashed consumer with a fresh group state: a pause held across it is applied again.
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      if (this.paused) this.consumer.pause(this.subscribed());
    });
  }

  private get prefix(): string {
    return this.options.topicPrefix ?? '';
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Joins the group; a `stop()` that arrives meanwhile wins: the consumer is left, not run. */
  start(): Promise<void> {
    if (this.running) return Promise.resolve();
    this.starting ??= this.connectAndRun().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async connectAndRun(): Promise<void> {
    this.stopping = false;
    const steps: Array<() => Promise<unknown>> = [
      async () => this.options.prepare?.(),
      () => this.options.deadLetters.connect(),
      () => this.consumer.connect(),
      () => this.consumer.subscribe({ topics: this.options.topics.map((t) => this.prefix + t), fromBeginning: this.options.fromBeginning ?? true }),
      () =>
        this.consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
          eachBatch: (payload) => this.eachBatch(payload),
        }),
    ];
    try {
      for (const step of steps) {
        if (this.stopping) break;
        await step();
      }
    } catch (error) {
      await this.consumer.disconnect().catch(() => undefined);
      throw error;
    }
    if (this.stopping) {
      await this.consumer.disconnect();
      return;
    }
    this.running = true;
    if (this.paused) this.consumer.pause(this.subscribed());
    this.logger.info('consumer started', { groupId: this.options.groupId, topics: this.options.topics });
  }

  /**
   * Starts, and keeps trying with capped backoff while Kafka is unreachable, so a service
   * comes up (and reports Kafka down on /health) instead of crash-looping.
   */
  async startWithRetry(maxDelayMs = 30_000): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        await this.start();
        return;
      } catch (error) {
        const delay = Math.min(maxDelayMs, 1_000 * 2 ** Math.min(attempt - 1, 5));
        this.logger.warn('consumer could not start; retrying', { attempt, delay, error: (error as Error).message });
        const until = Date.now() + delay;
        while (!this.stopping && Date.now() < until) await sleep(Math.min(250, until - Date.now()));
      }
    }
  }

  /**
   * Graceful: the run in flight finishes (retries are cut short), offsets are committed, the
   * group is left. A start still connecting sees the stop at its next step and leaves by
   * itself; the wait for it is bounded, so a shutdown while Kafka is unreachable (a start step
   * retrying for a minute) keeps within SHUTDOWN_TIMEOUT_MS.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.starting) await Promise.race([this.starting.catch(() => undefined), sleep(STOP_WAITS_FOR_START_MS)]);
    if (!this.running) return;
    await this.consumer.disconnect();
    this.running = false;
    this.logger.info('consumer stopped', { groupId: this.options.groupId });
  }

  private subscribed(): Array<{ topic: string }> {
    return this.options.topics.map((t) => ({ topic: this.prefix + t }));
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /**
   * Holds consumption still without leaving the group (heartbeats go on): no topic is fetched,
   * a run in backoff is abandoned uncommitted, and the promise resolves once no run is under
   * way — whatever was not committed is delivered again after resume(). Called before the
   * consumer has started, it starts paused. For a service that must rebuild what its records'
   * effects are applied to before it takes any more.
   */
  async pause(): Promise<void> {
    this.paused = true;
    if (this.running) this.consumer.pause(this.subscribed());
    while (this.inFlight > 0) await sleep(25);
  }

  /** Consumption goes on from the last committed offsets. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (this.running) this.consumer.resume(this.subscribed());
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    this.inFlight++;
    try {
      // A batch fetched before a pause: left unresolved, fetched again after resume().
      if (!this.paused) await this.consumeBatch(payload);
    } finally {
      this.inFlight--;
    }
  }

  private async consumeBatch({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const logicalTopic = topic.startsWith(this.prefix) ? topic.slice(this.prefix.length) : topic;
    const batchHandler = this.options.batchHandlers?.get(logicalTopic);
    const handler: RunHandler = batchHandler ? { handle: batchHandler } : this.perType;
    const size = batchHandler ? (this.options.maxBatchSize ?? 500) : 1;
    const wanted = batchHandler ? this.options.batchTypes?.get(logicalTopic) : undefined;
    const ofTopic = this.options.registry?.[logicalTopic]?.types ?? TOPIC_REGISTRY[logicalTopic]?.types ?? {};
    const passedOver = (m: KafkaMessage) => {
      const type = typeHeader(m);
      return type !== undefined && !wanted?.has(type) && Object.hasOwn(ofTopic, type);
    };
    const commitEvery = this.options.commitEvery ?? 100;
    let pending: string | undefined;
    let sinceCommit = 0;
    const commit = async () => {
      if (pending === undefined) return;
      const offset = (BigInt(pending) + 1n).toString();
      await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset }] }] });
      pending = undefined;
      sinceCommit = 0;
    };
    try {
      for (let i = 0; i < batch.messages.length; i += size) {
        if (this.stopping || this.paused || !isRunning() || isStale()) break;
        const slice = batch.messages.slice(i, i + size);
        const messages = wanted ? slice.filter((m) => !passedOver(m)) : slice;
        try {
          if (messages.length) await this.processor.process(handler, { topic: logicalTopic, physicalTopic: topic, partition, messages, heartbeat });
        } catch (error) {
          if (error instanceof StopRequested) break;
          throw error;
        }
        if (messages.length < slice.length) for (const m of slice) if (passedOver(m)) this.metrics.consumed(logicalTopic, typeHeader(m) as string, 'skipped');
        const last = slice[slice.length - 1].offset;
        resolveOffset(last);
        pending = last;
        this.metrics.lag(topic, partition, Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(last) - 1n)));
        sinceCommit += slice.length;
        if (sinceCommit >= commitEvery || batchHandler) await commit();
        await heartbeat();
      }
    } finally {
      await commit();
    }
  }

  /** Sleeps between attempts in slices so heartbeats continue and a stop (or pause) request is honoured promptly. */
  private async backoff(ms: number, heartbeat: () => Promise<void>): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (this.stopping || this.paused) throw new StopRequested();
      await sleep(Math.min(250, until - Date.now()));
      await heartbeat();
    }
    if (this.stopping || this.paused) throw new StopRequested();
  }
}
