#!/usr/bin/env node
/**
 * `npm run demo`: starts the real servers (tools/infra), builds the workspace, starts all
 * five services, shows them healthy, drives a simulated bank's morning through ingest,
 * and stops everything cleanly on Ctrl-C.
 * DEMO_EXIT_AFTER_HEALTHY=1 stops by itself once all are healthy (used to check the demo).
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { driveIngest } from './simulated-bank.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SERVICES = [
  ['ingest', 3001],
  ['profile', 3002],
  ['segmentation', 3003],
  ['campaign', 3004],
  ['service-desk', 3005],
];
const log = (m) => console.log(`[demo] ${m}`);

function infraEnv() {
  const script = path.join(root, 'tools/infra/infra.sh');
  log('starting Kafka, FerretDB and Redis (first run installs them: several minutes)…');
  execFileSync('bash', [script, 'up'], { stdio: 'inherit' });
  const env = {};
  for (const line of execFileSync('bash', [script, 'env'], { encoding: 'utf8' }).split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) env[m[1]] = m[2];
  }
  return env;
}

function build() {
  log('building all projects…');
  execFileSync('npx', ['nx', 'run-many', '-t', 'build', '--output-style=static'], { cwd: root, stdio: 'inherit' });
}

async function healthOf(port) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    const body = await res.json();
    return { code: res.status, details: body.details ?? {} };
  } catch {
    return { code: 0, details: {} };
  }
}

function table(rows) {
  const header = ['service', 'url', 'health', 'kafka', 'mongodb', 'redis'];
  const lines = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...lines.map((r) => String(r[i]).length)));
  return lines.map((r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ')).join('\n');
}

async function main() {
  const servers = infraEnv();
  build();
  const secrets = {
    JWT_SECRET: process.env.JWT_SECRET ?? randomBytes(32).toString('hex'),
    FIELD_ENCRYPTION_MASTER_KEY: process.env.FIELD_ENCRYPTION_MASTER_KEY ?? randomBytes(32).toString('base64'),
    BLIND_INDEX_KEY: process.env.BLIND_INDEX_KEY ?? randomBytes(32).toString('base64'),
  };
  const children = SERVICES.map(([service, port]) => {
    const child = spawn(process.execPath, [path.join(root, 'dist/apps', service, 'main.js')], {
      env: { ...process.env, ...servers, ...secrets, PORT: String(port), LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('exit', (code, signal) => {
      if (!stopping) log(`${service} exited (${code ?? signal})`);
    });
    return { service, port, child };
  });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log('stopping services…');
    await Promise.all(
      children.map(
        ({ child }) =>
          new Promise((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', resolve);
            child.kill('SIGTERM');
          }),
      ),
    );
    log('all services stopped (servers stay up: `npm run infra:down` stops them).');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const deadline = Date.now() + 120_000;
  let rows = [];
  for (;;) {
    const states = await Promise.all(children.map(async (c) => ({ ...c, h: await healthOf(c.port) })));
    rows = states.map(({ service, port, h }) => [
      service,
      `http://127.0.0.1:${port}/docs`,
      h.code === 200 ? 'healthy' : h.code ? `unhealthy (${h.code})` : 'starting',
      h.details.kafka?.status ?? '-',
      h.details.mongodb?.status ?? '-',
      h.details.redis?.status ?? '-',
    ]);
    if (states.every((s) => s.h.code === 200)) break;
    if (Date.now() > deadline || children.some((c) => c.child.exitCode !== null)) {
      console.log(table(rows));
      log('not every service became healthy');
      await stop();
      process.exit(1);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  console.log(`\n${table(rows)}\n`);
  log('all five services are healthy. Metrics at /metrics, OpenAPI at /docs.');
  try {
    await driveIngest(`http://127.0.0.1:${SERVICES[0][1]}`, secrets.JWT_SECRET);
  } catch (error) {
    log(`the simulated bank could not reach ingest: ${error.message}`);
  }
  log('Ctrl-C stops the services.');
  if (process.env.DEMO_EXIT_AFTER_HEALTHY === '1') await stop();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
