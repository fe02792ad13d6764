import { TOPICS } from '@meridian/events';
import { ensureTopics } from '@meridian/events/kafka';
import { ServiceProcess, TcpProxy, freePort, serviceTestEnv, startService, testKafka, testServers, waitFor } from '@meridian/shared/testing';
import mongoose, { Connection } from 'mongoose';

/**
 * The start pass when MongoDB is not there at bootstrap (its connection keeps retrying): the
 * pass fails, says so, and is tried again with backoff until the database answers. Then the
 * schedule (SEGMENT_CLUSTER_SAMPLE_REFRESH_SECONDS) re-takes it by itself.
 */
describe('cluster sample schedule (real servers)', () => {
  let service: ServiceProcess;
  let proxy: TcpProxy;
  let db: Connection;

  afterAll(async () => {
    await service?.stop();
    await proxy?.stop();
    if (db?.name.startsWith('test_')) await db.dropDatabase();
    await db?.close();
  });

  it('retries the start pass until MongoDB answers, then stores the sample', async () => {
    const mongo = new URL(testServers().mongoUri);
    proxy = await new TcpProxy(mongo.hostname, Number(mongo.port || 27017)).start();
    await proxy.cut();
    const env = serviceTestEnv('segmentation', { PORT: String(await freePort()), MONGODB_URI: `mongodb://127.0.0.1:${proxy.port}` });
    await ensureTopics(testKafka(), Object.values(TOPICS).map((t) => ({ topic: t })), { topicPrefix: env.KAFKA_TOPIC_PREFIX });
    db = await mongoose.createConnection(testServers().mongoUri, { dbName: env.MONGODB_DATABASE }).asPromise();

    service = await startService('segmentation', env);
    await waitFor(() => service.output().includes('cluster sample not taken at start'), 60_000, 'the start pass to fail and say so');
    expect(await db.collection('segment_cluster_sample').findOne({ _id: 'current' as never })).toBeNull();

    await proxy.restore();
    const sample = await waitFor(async () => (await db.collection('segment_cluster_sample').findOne({ _id: 'current' as never })) ?? undefined, 90_000, 'the sample after MongoDB came back');
    expect(sample).toMatchObject({ customersSeen: 0, documentsRead: 0 });
  }, 180_000);
  it('re-takes the sample every SEGMENT_CLUSTER_SAMPLE_REFRESH_SECONDS', async () => {
    await service.stop();
    const env = serviceTestEnv('segmentation', { PORT: String(await freePort()), MONGODB_DATABASE: db.name, SEGMENT_CLUSTER_SAMPLE_REFRESH_SECONDS: '2' });
    await ensureTopics(testKafka(), Object.values(TOPICS).map((t) => ({ topic: t })), { topicPrefix: env.KAFKA_TOPIC_PREFIX });
    service = await startService('segmentation', env);
    const takenAt = async () => (await db.collection('segment_cluster_sample').findOne({ _id: 'current' as never }))?.takenAt as string | undefined;
    const seen = new Set<string>();
    await waitFor(async () => {
      const at = await takenAt();
      if (at) seen.add(at);
      return seen.size >= 3;
    }, 60_000, 'three samples taken on schedule');
  }, 120_000);
});
