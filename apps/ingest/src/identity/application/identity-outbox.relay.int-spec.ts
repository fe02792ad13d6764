import { TOPICS } from '@meridian/events';
import { EventPublisher, ensureTopics, newEnvelope } from '@meridian/events/kafka';
import { FixedClock, loadConfig } from '@meridian/shared';
import { TopicReader, dropTestMongo, serviceTestEnv, testKafka, testMongo, testServers, uniqueName, waitFor } from '@meridian/shared/testing';
import Redis from 'ioredis';
import { Kafka } from 'kafkajs';
import { Connection } from 'mongoose';
import { IngestConfig } from '../../config/ingest.config';
import { IdentityRepository } from '../infrastructure/identity.repository';
import { IdentityOutboxRelay } from './identity-outbox.relay';

/**
 * A crash between writing an identity change to the outbox and announcing it: the relay
 * makes the change and publishes its event, once the grace period has passed.
 */
describe('IdentityOutboxRelay (real MongoDB-wire server, Redis, Kafka)', () => {
  let mongo: Connection;
  let redis: Redis;
  let kafka: Kafka;
  let publisher: EventPublisher;
  let reader: TopicReader;
  const prefix = `${uniqueName('relay')}.`;

  beforeAll(async () => {
    mongo = await testMongo('identity_relay');
    redis = new Redis(testServers().redisUrl);
    kafka = testKafka();
    await ensureTopics(kafka, [{ topic: TOPICS.governance }], { topicPrefix: prefix });
    publisher = new EventPublisher(kafka, { topicPrefix: prefix });
    reader = await new TopicReader(kafka, [prefix + TOPICS.governance]).start();
  });

  afterAll(async () => {
    await reader.stop();
    await publisher.disconnect();
    redis.disconnect();
    await dropTestMongo(mongo);
  });

  const ownersOf = async (repository: IdentityRepository, keys: string[]) => new Map([...(await repository.claimsOf(keys))].map(([k, c]) => [k, c.customerId]));

  /** The relay and its repository, with the clock at `now`. */
  function relayAt(now: string) {
    const config = loadConfig(IngestConfig, { ...serviceTestEnv('ingest'), MONGODB_DATABASE: mongo.name });
    const repository = new IdentityRepository(mongo, redis, config);
    const clock = new FixedClock(new Date(now));
    return { repository, clock, relay: new IdentityOutboxRelay(repository, publisher, clock) };
  }

  it('finishes a merge left in the outbox: keys re-pointed, IdentityMerged published, entry gone', async () => {
    const { repository, clock, relay } = relayAt('2026-11-25T10:00:00Z');
    const crashedAt = new Date('2026-11-25T09:59:00Z');
    await repository.claim(
      [
        { key: 'ID_NUMBER:aaa', customerId: 'CA', eventId: 'e0' },
        { key: 'SOURCE_REF:bbb', customerId: 'CB', eventId: 'e0' },
        { key: 'PHONE:ccc', customerId: 'CB', eventId: 'e0' },
      ],
      crashedAt,
      'run-crashed',
    );
    const evidence = [
      { kind: 'ID_NUMBER' as const, keyHash: 'aaa', eventId: 'e1' },
      { kind: 'SOURCE_REF' as const, keyHash: 'bbb', eventId: 'e1' },
    ];
    const event = newEnvelope('IdentityMerged', { mergeId: 'M1', survivorId: 'CA', mergedId: 'CB', evidence }, { eventId: 'G-M1', source: 'meridian-ingest', customerId: 'CA', occurredAt: crashedAt.toISOString() });
    await repository.writeOutbox([
      { _id: 'O1', createdAt: crashedAt, changes: [{ kind: 'merge', mergeId: 'M1', survivorId: 'CA', mergedId: 'CB', evidence, eventId: 'e1' }], events: [{ topic: TOPICS.governance, envelope: event }] },
    ]);
    // A fresh entry (a batch in flight) is left alone.
    await repository.writeOutbox([{ _id: 'O2', createdAt: clock.now(), changes: [], events: [] }]);

    expect(await relay.relay(new Date(clock.now().getTime() - 30_000))).toBe(1);

    expect(await ownersOf(repository, ['ID_NUMBER:aaa', 'SOURCE_REF:bbb', 'PHONE:ccc'])).toEqual(
      new Map([
        ['ID_NUMBER:aaa', 'CA'],
        ['SOURCE_REF:bbb', 'CA'],
        ['PHONE:ccc', 'CA'],
      ]),
    );
    expect(await repository.cachedOwners(['SOURCE_REF:bbb', 'PHONE:ccc'])).toEqual(new Map([['SOURCE_REF:bbb', 'CA'], ['PHONE:ccc', 'CA']]));
    expect(await repository.customer('CB')).toMatchObject({ status: 'MERGED', mergedInto: 'CA', mergeId: 'M1' });
    expect(await repository.merge('M1')).toMatchObject({ survivorId: 'CA', mergedId: 'CB', status: 'ACTIVE', movedKeys: expect.arrayContaining(['SOURCE_REF:bbb', 'PHONE:ccc']) });
    const published = await waitFor(() => reader.json<{ eventId: string; payload: any }>().find((e) => e.eventId === 'G-M1'), 30_000, 'IdentityMerged');
    expect(published.payload).toMatchObject({ survivorId: 'CA', mergedId: 'CB' });
    expect((await repository.pendingOutbox(new Date('2030-01-01'))).map((d) => d._id)).toEqual(['O2']);

    // Relaying again changes nothing.
    expect(await relay.relay(new Date(clock.now().getTime() - 30_000))).toBe(0);
  });

  it('does not undo what happened since: a key that moved on stays, an undone merge is neither made nor announced again', async () => {
    const { repository, clock, relay } = relayAt('2026-11-25T11:00:00Z');
    const decidedAt = new Date('2026-11-25T10:59:00Z');
    await repository.deleteOutbox(['O2']); // the first test's batch in flight
    await repository.claim(
      [
        { key: 'PHONE:p2', customerId: 'CC', eventId: 'e5' }, // moved on to CC after the change below was decided
        { key: 'SOURCE_REF:s2', customerId: 'CE', eventId: 'e5' },
      ],
      decidedAt,
      'run-decided',
    );
    // A merge CE → CD that was made, then undone by an ADMIN; its outbox entry outlived both (a failed delete).
    const evidence = [{ kind: 'SOURCE_REF' as const, keyHash: 's2', eventId: 'e6' }];
    await repository.apply({ kind: 'merge', mergeId: 'M2', survivorId: 'CD', mergedId: 'CE', evidence, eventId: 'e6' }, decidedAt);
    await repository.apply({ kind: 'unmerge', mergeId: 'M2', undoneBy: 'admin-1' }, decidedAt);
    const merged = newEnvelope('IdentityMerged', { mergeId: 'M2', survivorId: 'CD', mergedId: 'CE', evidence }, { eventId: 'G-M2', source: 'meridian-ingest', customerId: 'CD', occurredAt: decidedAt.toISOString() });
    const marker = newEnvelope('IdentityConflict', { customerId: 'CB', conflictingCustomerId: 'CA', movedKey: 'PHONE', resolution: 'moved' }, { eventId: 'G-C1', source: 'meridian-ingest', customerId: 'CB', occurredAt: decidedAt.toISOString() });
    await repository.writeOutbox([
      {
        _id: 'O3',
        createdAt: decidedAt,
        changes: [
          { kind: 'relink', key: 'PHONE:p2', from: 'CA', to: 'CB', eventId: 'e4' },
          { kind: 'merge', mergeId: 'M2', survivorId: 'CD', mergedId: 'CE', evidence, eventId: 'e6' },
        ],
        events: [
          { topic: TOPICS.governance, envelope: merged },
          { topic: TOPICS.governance, envelope: marker },
        ],
      },
    ]);

    expect(await relay.relay(new Date(clock.now().getTime() - 30_000))).toBe(1);
    expect(await ownersOf(repository, ['PHONE:p2', 'SOURCE_REF:s2'])).toEqual(
      new Map([
        ['PHONE:p2', 'CC'],
        ['SOURCE_REF:s2', 'CE'],
      ]),
    );
    expect(await repository.customer('CE')).toMatchObject({ status: 'ACTIVE' });
    await waitFor(() => reader.json<{ eventId: string }>().find((e) => e.eventId === 'G-C1'), 30_000, 'the conflict event (published after the merge would have been)');
    expect(reader.json<{ eventId: string }>().some((e) => e.eventId === 'G-M2')).toBe(false);
  });
});
