import { ConsumptionControl, PausableConsumer } from './consumption-control';

/** A consumer that records what it was told (the real one is the KafkaEventServer, shown in consumer-runner.int-spec.ts). */
function recorder(): PausableConsumer & { calls: string[] } {
  const calls: string[] = [];
  return { calls, pause: async () => void calls.push('pause'), resume: () => void calls.push('resume') };
}

describe('ConsumptionControl', () => {
  it('holds the consumer until every named hold is released', async () => {
    const control = new ConsumptionControl();
    const consumer = recorder();
    control.attach(consumer);
    await control.hold('rebuild');
    await control.hold('maintenance');
    control.release('rebuild');
    expect(consumer.calls).toEqual(['pause', 'pause']);
    expect(control.held).toBe(true);
    control.release('maintenance');
    expect(consumer.calls).toEqual(['pause', 'pause', 'resume']);
    expect(control.held).toBe(false);
  });

  it('a hold taken before the consumer is attached makes it start paused; a release of nothing held does nothing', async () => {
    const control = new ConsumptionControl();
    await control.hold('rebuild');
    const consumer = recorder();
    control.attach(consumer);
    expect(consumer.calls).toEqual(['pause']);
    control.release('never-held');
    expect(consumer.calls).toEqual(['pause']);
    control.release('rebuild');
    expect(consumer.calls).toEqual(['pause', 'resume']);
  });

  it('without a consumer (a test module) holds do nothing and do not fail', async () => {
    const control = new ConsumptionControl();
    await expect(control.hold('rebuild')).resolves.toBeUndefined();
    control.release('rebuild');
    expect(control.held).toBe(false);
  });
});
