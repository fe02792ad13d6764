import { randomKeyBase64 } from '../crypto/field-encryption';
import type { CheckedKey } from '../crypto/key-check-on-start';
import { ServiceProcess, freePort, serviceTestEnv, spawnService, startService } from './service-process';
import { mongoBehindProxy } from './tcp-proxy';
import mongoose from 'mongoose';
import { testKafka, testServers, waitFor } from './test-servers';

interface HealthBody {
  status: string;
  info?: Record<string, { status: string }>;
  error?: Record<string, { status: string; message?: string }>;
  details: Record<string, { status: string; message?: string }>;
}

async function health(url: string): Promise<{ status: number; body: HealthBody }> {
  const res = await fetch(`${url}/health`);
  return { status: res.status, body: (await res.json()) as HealthBody };
}

/**
 * The foundation's promises for one built service, as a real process against the real
 * servers: healthy with Kafka, MongoDB and Redis; /metrics; OpenAPI at /docs; joined its
 * own consumer group; a bad variable stops it with a message naming it; a dead dependency
 * is reported down; SIGTERM stops it cleanly.
 */
export function describeServiceFoundation(service: string, options: { checksKeys?: CheckedKey[] } = {}): void {
  describe(`${service} service process (foundation)`, () => {
    let proc: ServiceProcess | undefined;
    let env: Record<string, string>;

    afterEach(async () => {
      await proc?.stop();
      proc = undefined;
    });

    it('starts, reports Kafka, MongoDB and Redis up, serves /metrics and /docs, joins its group, stops on SIGTERM', async () => {
      env = serviceTestEnv(service, { PORT: String(await freePort()) });
      proc = await startService(service, env);
      const ready = await waitFor(
        async () => {
          const h = await health(proc!.url);
          return h.status === 200 ? h : undefined;
        },
        60_000,
        `${service} /health 200`,
      );
      expect(ready.body.status).toBe('ok');
      expect(Object.keys(ready.body.details).sort()).toEqual(['kafka', 'mongodb', 'redis']);
      for (const dep of ['kafka', 'mongodb', 'redis']) expect(ready.body.details[dep].status).toBe('up');

      const metrics = await (await fetch(`${proc.url}/metrics`)).text();
      expect(metrics).toContain('# TYPE meridian_messages_consumed_total counter');
      expect(metrics).toContain('# TYPE meridian_handler_duration_seconds histogram');
      expect(metrics).toContain('# TYPE meridian_deadletter_total counter');
      expect(metrics).toContain('# TYPE meridian_consumer_lag gauge');
      expect(metrics).toContain(`service="${service}"`);

      const openapi = (await (await fetch(`${proc.url}/docs/openapi.json`)).json()) as { info: { title: string }; paths: object };
      expect(openapi.info.title).toMatch(/^Meridian /);
      expect(Object.keys(openapi.paths)).toContain('/health');
      expect((await fetch(`${proc.url}/docs`)).status).toBe(200);

      const kafka = testKafka();
      const admin = kafka.admin();
      await admin.connect();
      try {
        await waitFor(
          async () => {
            const { groups } = await admin.describeGroups([env.KAFKA_GROUP_ID]);
            return groups[0]?.state === 'Stable' && groups[0].members.length === 1;
          },
          60_000,
          `${service} to join ${env.KAFKA_GROUP_ID}`,
        );
      } finally {
        await admin.disconnect();
      }

      expect(await proc.stop()).toBe(0);
      proc = undefined;
    });

    it('refuses to start on a missing or invalid variable, naming it', async () => {
      const bad = serviceTestEnv(service, { PORT: String(await freePort()), MONGODB_URI: 'postgres://nowhere' });
      delete bad.KAFKA_BROKERS;
      const p = spawnService(service, bad);
      const code = await p.exited;
      expect(code).toBe(78);
      expect(p.output()).toMatch(/KAFKA_BROKERS/);
      expect(p.output()).toMatch(/MONGODB_URI must be a mongodb:\/\//);
    });

    // A loop, not it.each: most services hold no keys, and it.each refuses an empty table.
    for (const variable of options.checksKeys ?? []) it(`refuses to run with a ${variable} its data was not written with, naming it`, async () => {
      env = serviceTestEnv(service, { PORT: String(await freePort()) });
      proc = await startService(service, env);
      // The first start records its keys' check values with its data.
      const db = await mongoose.createConnection(testServers().mongoUri, { dbName: env.MONGODB_DATABASE }).asPromise();
      try {
        await waitFor(async () => (await db.collection('key_checks').countDocuments({})) === options.checksKeys!.length, 60_000, 'the key checks recorded');
      } finally {
        await db.close();
      }
      expect(await proc.stop()).toBe(0);
      proc = undefined;

      const same = spawnService(service, { ...env, PORT: String(await freePort()) });
      await waitFor(async () => (await health(same.url).catch(() => ({ status: 0 }))).status === 200, 60_000, `${service} healthy again with the same keys`);
      expect(await same.stop()).toBe(0);

      // A wrong key, started while MongoDB does not answer: the service comes up (health says
      // MongoDB is down), and stops, naming the variable, once MongoDB is back.
      const relay = await mongoBehindProxy(env.MONGODB_URI);
      await relay.proxy.cut();
      const wrong = spawnService(service, { ...env, MONGODB_URI: relay.uri, PORT: String(await freePort()), [variable]: randomKeyBase64() });
      try {
        await waitFor(async () => (await health(wrong.url).catch(() => ({ status: 0 }))).status === 503, 60_000, `${service} up, with MongoDB down`);
        await new Promise((res) => setTimeout(res, 6_000)); // past the first connection's server selection (5 s): it has failed
        await relay.proxy.restore();
        expect(await wrong.exited).toBe(78);
        expect(wrong.output()).toContain(`${variable} is not the key this service's data was written with`);
      } finally {
        await wrong.stop();
        await relay.proxy.stop();
      }
    });

    it('comes up while MongoDB is down and connects once it is back (the first connection is retried)', async () => {
      env = serviceTestEnv(service, { PORT: String(await freePort()) });
      const relay = await mongoBehindProxy(env.MONGODB_URI);
      await relay.proxy.cut();
      proc = spawnService(service, { ...env, MONGODB_URI: relay.uri });
      try {
        await waitFor(async () => (await health(proc!.url).catch(() => ({ status: 0 }))).status === 503, 60_000, `${service} up, with MongoDB down`);
        await new Promise((res) => setTimeout(res, 6_000)); // past the first connection's server selection (5 s): it has failed
        await relay.proxy.restore();
        await waitFor(async () => (await health(proc!.url)).status === 200, 60_000, `${service} healthy once MongoDB is back`);
      } finally {
        await proc.stop();
        proc = undefined;
        await relay.proxy.stop();
      }
    });

    it('reports dead dependencies as down on /health (503) while staying alive', async () => {
      env = serviceTestEnv(service, {
        PORT: String(await freePort()),
        KAFKA_BROKERS: '127.0.0.1:1',
        MONGODB_URI: 'mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=500',
        REDIS_URL: 'redis://127.0.0.1:1',
      });
      proc = await startService(service, env);
      const h = await health(proc.url);
      expect(h.status).toBe(503);
      for (const dep of ['kafka', 'mongodb', 'redis']) expect(h.body.details[dep].status).toBe('down');
      // A public route: the statuses, not the dependencies' error messages with their addresses.
      expect(JSON.stringify(h.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|message/);
      expect((await fetch(`${proc.url}/health/live`)).status).toBe(200);
    });
  });
}
