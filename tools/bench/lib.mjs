/**
 * What the benches share: the real servers, Kafka helpers, a Meridian service started as
 * a real process the way the production image runs it, and process memory readings.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { Kafka, logLevel } = require('kafkajs');
const { SignJWT } = require('jose');

export const log = (m) => console.log(`[bench] ${m}`);
export const run = `bench${Date.now().toString(36)}`;

/** The services run as the production image runs them: its NODE_OPTIONS (the V8 heap cap), read from the Dockerfile. */
export const PRODUCTION_NODE_OPTIONS = /NODE_OPTIONS="([^"]*)"/.exec(readFileSync(path.join(root, 'Dockerfile'), 'utf8'))?.[1] ?? '';
export const SERVICE_NODE_OPTIONS = process.env.BENCH_NODE_OPTIONS ?? PRODUCTION_NODE_OPTIONS;
/** Extra node flags for the service process that NODE_OPTIONS refuses, e.g. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=tmp/prof". */
const SERVICE_NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);

/** KAFKA_BROKERS / MONGODB_URI / REDIS_URL, else the local servers of tools/infra. */
export function servers() {
  if (process.env.KAFKA_BROKERS && process.env.MONGODB_URI && process.env.REDIS_URL) return process.env;
  const script = path.join(root, 'tools/infra/infra.sh');
  execFileSync('bash', [script, 'up'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const env = {};
  for (const line of execFileSync('bash', [script, 'env'], { encoding: 'utf8' }).split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) env[m[1]] = m[2];
  }
  return env;
}

export function kafkaFor(brokers, clientId) {
  return new Kafka({ clientId, brokers: brokers.split(','), logLevel: logLevel.NOTHING, retry: { retries: 8 } });
}

export async function createTopics(kafka, topics) {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: 3 })) }).catch(() => undefined);
  for (let i = 0; i < 100; i++) {
    try {
      const md = await admin.fetchTopicMetadata({ topics });
      if (md.topics.every((t) => t.partitions.length && t.partitions.every((p) => p.leader >= 0))) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  await admin.disconnect();
}

/** Sends `list` ({key, envelope, …}) in batches of 1,000 through an idempotent producer. */
export async function produceAll(kafka, list, topicOf) {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let i = 0; i < list.length; i += 1000) {
    const byTopic = new Map();
    for (const r of list.slice(i, i + 1000)) {
      const t = topicOf(r);
      if (!byTopic.has(t)) byTopic.set(t, []);
      byTopic.get(t).push({ key: r.key, value: JSON.stringify(r.envelope) });
    }
    await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
  }
  await producer.disconnect();
}

/** Resolves `finished` when `count` records have been read from `topics` (from the beginning). */
export async function consumeCount(kafka, topics, count, onMessage) {
  const consumer = kafka.consumer({ groupId: `${run}-reader-${randomBytes(3).toString('hex')}`, maxBytesPerPartition: 4 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  let seen = 0;
  let done;
  const finished = new Promise((r) => (done = r));
  await consumer.run({
    eachBatchAutoResolve: true,
    eachBatch: async ({ batch }) => {
      if (onMessage) for (const m of batch.messages) onMessage(m);
      seen += batch.messages.length;
      if (seen >= count) done();
    },
  });
  return { finished, stop: () => consumer.disconnect(), seen: () => seen };
}

export function serviceEnv(env, service, phase) {
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    NODE_OPTIONS: SERVICE_NODE_OPTIONS,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    PORT: String(39000 + Math.floor(Math.random() * 1000)),
    KAFKA_BROKERS: env.KAFKA_BROKERS,
    MONGODB_URI: env.MONGODB_URI,
    REDIS_URL: env.REDIS_URL,
    KAFKA_TOPIC_PREFIX: `${run}.${phase}.`,
    KAFKA_GROUP_ID: `${run}-${phase}-${service}`,
    MONGODB_DATABASE: `bench_${run}_${phase}`,
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret',
    FIELD_ENCRYPTION_MASTER_KEY: randomBytes(32).toString('base64'),
    BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
    SCHEDULE_DAILY_JOBS: 'false',
    // BENCH_SERVICE_ENV="KAFKA_FETCH_MIN_BYTES=65536 …": service settings to compare.
    ...Object.fromEntries((process.env.BENCH_SERVICE_ENV ?? '').split(/\s+/).filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])),
  };
}

/** Starts dist/apps/<service>/main.js (with `senv` when the bench prepared its storage first); resolves once it is healthy and its consumer group is stable. */
export async function startService(env, service, phase, roles = ['SYSTEM'], senv = serviceEnv(env, service, phase)) {
  // The service's own log, for when a bench goes wrong.
  const logFile = path.join(root, 'tmp', `bench-${service}-${phase}.log`);
  mkdirSync(path.dirname(logFile), { recursive: true });
  const out = openSync(logFile, 'w');
  const child = spawn(process.execPath, [...SERVICE_NODE_ARGS, path.join(root, 'dist/apps', service, 'main.js')], { env: senv, stdio: ['ignore', out, out] });
  let exited;
  let stopping = false;
  child.on('exit', (code, signal) => {
    exited = code ?? signal;
    if (!stopping) log(`${service} exited unexpectedly (${code ?? signal}); see ${logFile}`);
  });
  const url = `http://127.0.0.1:${senv.PORT}`;
  for (let i = 0; i < 600; i++) {
    if (exited !== undefined) throw new Error(`${service} exited with ${exited}; see ${logFile}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  const kafka = kafkaFor(env.KAFKA_BROKERS, `${run}-admin`);
  const admin = kafka.admin();
  await admin.connect();
  for (let i = 0; i < 600; i++) {
    const { groups } = await admin.describeGroups([senv.KAFKA_GROUP_ID]);
    if (groups[0]?.state === 'Stable') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await admin.disconnect();
  const token = await new SignJWT({ roles, branchId: 'HQ' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('bench')
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(senv.JWT_SECRET));
  return {
    url,
    token,
    env: senv,
    prefix: senv.KAFKA_TOPIC_PREFIX,
    pid: child.pid,
    rss: () => procStatus(child.pid),
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** VmRSS (now) and VmHWM (peak) of a process, in MB. */
export function procStatus(pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(text)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** CPU seconds a process has used (user + system), by pid. */
export function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * The local servers' processes (tools/infra runs them on this machine), by what they listen on:
 * { FerretDB, Kafka, Redis } pids, those not found left out (servers elsewhere, or in Docker).
 */
export function serverPids(env) {
  const port = (url) => /:(\d+)/.exec(url.replace(/^[a-z]+:\/\//, ''))?.[1];
  const wanted = {
    FerretDB: (args) => args.includes('ferretdb') && args.includes(`:${port(env.MONGODB_URI)}`),
    // The broker whose properties file listens on the port KAFKA_BROKERS names.
    Kafka: (args) => {
      const props = /kafka\.Kafka (\S+)/.exec(args)?.[1];
      try {
        return props !== undefined && readFileSync(props, 'utf8').includes(`:${port(env.KAFKA_BROKERS.split(',')[0])}`);
      } catch {
        return false;
      }
    },
    Redis: (args) => args.startsWith('redis-server') && args.includes(`:${port(env.REDIS_URL)}`),
  };
  const found = {};
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let args;
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    for (const [name, match] of Object.entries(wanted)) if (!found[name] && match(args)) found[name] = Number(pid);
  }
  return found;
}

/** CPU seconds of each named process and of this one (`bench`), to difference over a phase. */
export function cpuOf(pids) {
  const own = process.cpuUsage();
  return { ...Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)])), bench: (own.user + own.system) / 1e6 };
}

/** The value at quantile q of sorted numbers. */
export function quantile(sorted, q) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN;
}
