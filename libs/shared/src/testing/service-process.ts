import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { randomKeyBase64 } from '../crypto/field-encryption';
import { testServers, uniqueName, waitFor } from './test-servers';

export interface ServiceProcess {
  url: string;
  port: number;
  process: ChildProcess;
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
  exited: Promise<number | null>;
}

const repoRoot = path.resolve(__dirname, '../../../..');

/** Env a service needs to start against the test servers, isolated by prefix, group and database. */
export function serviceTestEnv(service: string, overrides: Record<string, string> = {}): Record<string, string> {
  const servers = testServers();
  const run = uniqueName('t');
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    KAFKA_BROKERS: servers.kafkaBrokers,
    KAFKA_TOPIC_PREFIX: `${run}.`,
    KAFKA_GROUP_ID: `${run}-${service}`,
    MONGODB_URI: servers.mongoUri,
    MONGODB_DATABASE: `test_${run}`.slice(0, 63),
    REDIS_URL: servers.redisUrl,
    JWT_SECRET: 'test-secret-test-secret-test-secret-42',
    FIELD_ENCRYPTION_MASTER_KEY: randomKeyBase64(),
    BLIND_INDEX_KEY: randomKeyBase64(),
    // Time moves through POST /v1/sweeps in tests: a daily job firing mid-run would move every test customer to today.
    SCHEDULE_DAILY_JOBS: 'false',
    ...overrides,
  };
}

/** Runs the built service (`dist/apps/<service>/main.js`) as a real process. */
export function spawnService(service: string, env: Record<string, string>): ServiceProcess {
  const main = path.join(repoRoot, 'dist/apps', service, 'main.js');
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const port = Number(env.PORT);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    process: child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Spawns the service and waits until its HTTP side answers /health/live. */
export async function startService(service: string, env: Record<string, string>): Promise<ServiceProcess> {
  const proc = spawnService(service, env);
  let exitCode: number | null | undefined;
  void proc.exited.then((code) => (exitCode = code));
  await waitFor(
    async () => {
      if (exitCode !== undefined) throw new Error(`exited with ${exitCode}: ${proc.output()}`);
      const res = await fetch(`${proc.url}/health/live`);
      return res.ok;
    },
    60_000,
    `${service} to answer /health/live\n${proc.output()}`,
  );
  return proc;
}

/** A port the OS says is free right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
