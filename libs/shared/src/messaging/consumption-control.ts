/** What can hold a service's consumer still: its KafkaEventServer (ConsumerRunner.pause/resume). */
export interface PausableConsumer {
  pause(): Promise<void>;
  resume(): void;
}

/**
 * Lets a service's own code hold its Kafka consumption still and let it go (e.g. while it
 * rebuilds what its records' effects are applied to), without reaching into the transport:
 * bootstrapService attaches the service's consumer. Holds are named, and consumption goes on
 * only once every hold is released. A hold taken before the consumer starts (at bootstrap)
 * makes it start paused; with no consumer attached (a test module) holds do nothing.
 */
export class ConsumptionControl {
  private consumer?: PausableConsumer;
  private readonly holds = new Set<string>();

  attach(consumer: PausableConsumer): void {
    this.consumer = consumer;
    if (this.holds.size) void consumer.pause();
  }

  /** Held: resolves once no run is under way (what was not committed comes again after release). */
  async hold(reason: string): Promise<void> {
    this.holds.add(reason);
    await this.consumer?.pause();
  }

  release(reason: string): void {
    if (!this.holds.delete(reason) || this.holds.size) return;
    this.consumer?.resume();
  }

  get held(): boolean {
    return this.holds.size > 0;
  }
}
