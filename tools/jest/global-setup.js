/**
 * Finds real servers for integration tests (issue 2, INFRA.md):
 *   1. KAFKA_BROKERS, MONGODB_URI and REDIS_URL when all are set;
 *   2. else testcontainers (Kafka, MongoDB 7, Redis 7) when a Docker engine answers;
 *   3. else the project's infra script (Kafka 3.9 KRaft, FerretDB, Redis on loopback).
 * The addresses are exported through process.env, which Jest's workers inherit.
 * Runs once per project; after the first, the variables are set and it returns at once.
 */
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const VARS = ['KAFKA_BROKERS', 'MONGODB_URI', 'REDIS_URL'];

function haveAll() {
  return VARS.every((v) => process.env[v]);
}

async function dockerAvailable() {
  if (process.env.MERIDIAN_NO_DOCKER === '1') return false;
  try {
    const { getContainerRuntimeClient } = require('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

async function startContainers() {
  const { KafkaContainer } = require('@testcontainers/kafka');
  const { MongoDBContainer } = require('@testcontainers/mongodb');
  const { RedisContainer } = require('@testcontainers/redis');
  const [kafka, mongo, redis] = await Promise.all([
    new KafkaContainer('confluentinc/cp-kafka:7.9.0').withKraft().start(),
    new MongoDBContainer('mongo:7').start(),
    new RedisContainer('redis:7-alpine').start(),
  ]);
  globalThis.__MERIDIAN_CONTAINERS__ = [kafka, mongo, redis];
  process.env.KAFKA_BROKERS = `${kafka.getHost()}:${kafka.getMappedPort(9093)}`;
  process.env.MONGODB_URI = `${mongo.getConnectionString()}?directConnection=true`;
  process.env.REDIS_URL = redis.getConnectionUrl();
  process.env.MERIDIAN_MONGO_FLAVOUR = 'mongodb';
}

function startLocalInfra() {
  const script = path.join(root, 'tools/infra/infra.sh');
  execFileSync('bash', [script, 'up'], { stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  const out = execFileSync('bash', [script, 'env'], { encoding: 'utf8', env: process.env });
  for (const line of out.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m && VARS.includes(m[1])) process.env[m[1]] = m[2];
  }
  process.env.MERIDIAN_MONGO_FLAVOUR = 'ferretdb';
}

module.exports = async function globalSetup() {
  // Unit runs (`npm run test:unit`) need no servers.
  if (haveAll() || process.env.MERIDIAN_SKIP_INFRA === '1') return;
  if (await dockerAvailable()) await startContainers();
  else startLocalInfra();
  if (!haveAll()) throw new Error(`test infrastructure did not provide ${VARS.filter((v) => !process.env[v]).join(', ')}`);
  // Which servers a run used is the first question when it fails (and how .ci/run shows the ports were honoured).
  process.stderr.write(`[jest] servers: ${VARS.map((v) => `${v}=${process.env[v]}`).join(' ')}\n`);
};
