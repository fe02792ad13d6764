#!/usr/bin/env node
/**
 * `npm run demo`: starts the real servers (tools/infra), builds the workspace, starts all
 * five services, shows them healthy, drives a simulated bank's morning through ingest,
 * shows one of its customers through profile with a ready token, then segmentation's
 * work (tiers, lifecycle, example segments, one customer's moves), and stops the services
 * cleanly on Ctrl-C (the servers stay up, for the next run and for `npm test`).
 * DEMO_EXIT_AFTER_HEALTHY=1 stops by itself at the end (.ci/run checks the demo so), with
 * exit code 1 if anything on the way failed. DEMO_PORT_BASE (3001) moves the five ports.
 *
 * Only Node built-ins and installed packages are imported up front: on a fresh clone
 * nothing is built yet, so what needs the built libraries is imported after build().
 */
import { execFileSync, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { demoSecrets, previousCustomer, rememberCustomer, root, signDemoToken } from './demo-state.mjs';

const portBase = Number(process.env.DEMO_PORT_BASE ?? 3001);
const SERVICES = ['ingest', 'profile', 'segmentation', 'campaign', 'service-desk'].map((service, i) => [service, portBase + i]);
const PROFILE_URL = `http://127.0.0.1:${portBase + 1}`;
const exitWhenDone = process.env.DEMO_EXIT_AFTER_HEALTHY === '1';
const log = (m) => console.log(`[demo] ${m}`);

function infraEnv() {
  const script = path.join(root, 'tools/infra/infra.sh');
  log('starting Kafka, FerretDB and Redis (first run installs them: several minutes)…');
  execFileSync('bash', [script, 'up'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const env = {};
  for (const line of execFileSync('bash', [script, 'env'], { encoding: 'utf8' }).split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) env[m[1]] = m[2];
  }
  log(`servers: ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  return env;
}

function build() {
  log('building all projects…');
  execFileSync('npx', ['nx', 'run-many', '-t', 'build', '--output-style=static'], { cwd: root, stdio: 'inherit' });
}

/** Something already listening there (another demo) would answer our health checks in our place. */
function portTaken(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
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

let children = [];
let stopping = false;

/**
 * Stops the services this run started (never the servers) and exits with `code` — or 1 when
 * a service exited before it was asked to, or did not stop cleanly (exit code other than 0):
 * the demo does not report success over a crash.
 */
async function stop(code) {
  if (stopping) return;
  stopping = true;
  const crashed = children.filter(({ child }) => child.exitCode !== null || child.signalCode !== null).map(({ service }) => service);
  log('stopping services…');
  const exits = await Promise.all(
    children.map(
      ({ service, child }) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve({ service, code: child.exitCode });
          child.once('exit', (exitCode) => resolve({ service, code: exitCode }));
          child.kill('SIGTERM');
        }),
    ),
  );
  const unclean = exits.filter((e) => e.code !== 0 && !crashed.includes(e.service)).map((e) => `${e.service} (${e.code})`);
  if (crashed.length) log(`FAILED: ${crashed.join(', ')} exited before the demo stopped it`);
  if (unclean.length) log(`FAILED: ${unclean.join(', ')} did not stop cleanly`);
  log('all services stopped (servers stay up: `npm run infra:down` stops them).');
  process.exit(crashed.length || unclean.length ? 1 : code);
}

async function waitHealthy() {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const states = await Promise.all(children.map(async (c) => ({ ...c, h: await healthOf(c.port) })));
    const rows = states.map(({ service, port, h }) => [
      service,
      `http://127.0.0.1:${port}/docs`,
      h.code === 200 ? 'healthy' : h.code ? `unhealthy (${h.code})` : 'starting',
      h.details.kafka?.status ?? '-',
      h.details.mongodb?.status ?? '-',
      h.details.redis?.status ?? '-',
    ]);
    if (states.every((s) => s.h.code === 200)) return console.log(`\n${table(rows)}\n`);
    if (Date.now() > deadline || children.some((c) => c.child.exitCode !== null)) {
      console.log(table(rows));
      throw new Error('not every service became healthy');
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** GET a customer through profile as that customer's branch manager, until `done(status)` or the time is up. */
async function readCustomer(jwtSecret, customer, { withinMs, done }) {
  const token = await signDemoToken(jwtSecret, { roles: ['BRANCH_MANAGER'], branchId: customer.branchId, sub: 'demo-branch-manager', ttl: '5m' });
  const deadline = Date.now() + withinMs;
  for (;;) {
    const res = await fetch(`${PROFILE_URL}/v1/customers/${customer.customerId}`, { headers: { authorization: `Bearer ${token}`, 'x-access-purpose': 'demo' } });
    if (done(res.status) || Date.now() > deadline) return res.status;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Issue 8 point 16: what the previous run stored must read back under the kept keys. */
async function checkPreviousRun(jwtSecret, previous) {
  const status = await readCustomer(jwtSecret, previous, { withinMs: 10_000, done: (s) => s !== 404 });
  if (status === 200) return log(`customer ${previous.customerId}, shown by the previous run, reads back: HTTP 200`);
  if (status === 404) return log(`customer ${previous.customerId} of the previous run is gone (the servers' data was cleaned?)`);
  throw new Error(`customer ${previous.customerId} of the previous run answers HTTP ${status}: were the demo secrets changed?`);
}

/** Ready tokens and two curl lines, so a new user can look at what the demo created. */
async function printWayIn(jwtSecret, customer, secretsFile) {
  const manager = await signDemoToken(jwtSecret, { roles: ['BRANCH_MANAGER'], branchId: customer.branchId, sub: 'demo-branch-manager' });
  const teller = await signDemoToken(jwtSecret, { roles: ['TELLER'], branchId: customer.branchId, sub: 'demo-teller' });
  const auth = `-H "authorization: Bearer $TOKEN" -H 'x-access-purpose: demo'`;
  console.log(`
[demo] a way in: tokens valid 12 h, signed with the JWT_SECRET kept in ${secretsFile}
  export TOKEN=${manager}
      # BRANCH_MANAGER of ${customer.branchId}: full view
  export TELLER_TOKEN=${teller}
      # TELLER of ${customer.branchId}: masked view (use it as TOKEN)
  npm run token -- --role RM --branch ${customer.branchId} --sub ${customer.rmId}     # any other role, branch or subject
[demo] customer ${customer.customerId}, one of the simulated bank's, through profile:
  curl ${auth} ${PROFILE_URL}/v1/customers/${customer.customerId}
  curl ${auth} '${PROFILE_URL}/v1/customers?phone=${customer.phone}'
`);
}

async function main() {
  const servers = infraEnv();
  build();
  const { driveIngest } = await import('./simulated-bank.mjs');
  const { showSegmentation, watchSegments } = await import('./segmentation-demo.mjs');
  const { showServiceDesk } = await import('./service-desk-demo.mjs');
  const { setUpCampaigns, showCampaigns } = await import('./campaign-demo.mjs');
  const { showLoyalty } = await import('./loyalty-demo.mjs');
  const { showLeads } = await import('./leads-demo.mjs');
  const { watchTopic } = await import('./demo-kafka.mjs');
  const { secrets, file: secretsFile, fromEnvironment } = demoSecrets({ create: true });
  log(`secrets: ${secretsFile} (mode 600; drawn once and reused, so the next run reads what this one stores)`);
  if (fromEnvironment.length) log(`  ${fromEnvironment.join(', ')} taken from the environment instead`);

  for (const [, port] of SERVICES) {
    if (await portTaken(port)) throw new Error(`port ${port} is in use (another demo?); stop it or set DEMO_PORT_BASE`);
  }
  children = SERVICES.map(([service, port]) => {
    const child = spawn(process.execPath, [path.join(root, 'dist/apps', service, 'main.js')], {
      env: { ...process.env, ...servers, ...secrets, PORT: String(port), LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('exit', (code, signal) => {
      if (!stopping) log(`${service} exited (${code ?? signal})`);
    });
    return { service, port, child };
  });
  // Ctrl-C ends an interactive demo as intended (0); a demo told to exit by itself that is
  // killed before it got there has not shown what it should (128 + signal).
  process.on('SIGINT', () => stop(exitWhenDone ? 130 : 0));
  process.on('SIGTERM', () => stop(exitWhenDone ? 143 : 0));

  await waitHealthy();
  log('all five services are healthy. Metrics at /metrics, OpenAPI at /docs.');
  const previous = previousCustomer();
  if (previous) await checkPreviousRun(secrets.JWT_SECRET, previous);

  const watch = await watchSegments(servers.KAFKA_BROKERS);
  const tickets = await watchTopic(servers.KAFKA_BROKERS, 'crm.ticket.v1');
  const decisions = await watchTopic(servers.KAFKA_BROKERS, 'crm.campaign.v1');
  const campaigns = await setUpCampaigns({ campaignUrl: `http://127.0.0.1:${SERVICES[3][1]}`, jwtSecret: secrets.JWT_SECRET });
  const governance = await watchTopic(servers.KAFKA_BROKERS, 'crm.governance.v1');
  const customer = await driveIngest(`http://127.0.0.1:${SERVICES[0][1]}`, secrets.JWT_SECRET);
  if (previous?.phone === customer.phone && previous.customerId !== customer.customerId) {
    throw new Error(`ingest made a new customer ${customer.customerId} of the person the previous run knew as ${previous.customerId}`);
  }
  const status = await readCustomer(secrets.JWT_SECRET, customer, { withinMs: 60_000, done: (s) => s === 200 });
  if (status !== 200) throw new Error(`profile answers HTTP ${status} for customer ${customer.customerId}`);
  rememberCustomer(customer);
  await showSegmentation({ segmentationUrl: `http://127.0.0.1:${SERVICES[2][1]}`, ingestUrl: `http://127.0.0.1:${SERVICES[0][1]}`, jwtSecret: secrets.JWT_SECRET, watch, customers: customer.customers });
  await watch.stop();
  await showServiceDesk({ ingestUrl: `http://127.0.0.1:${SERVICES[0][1]}`, serviceDeskUrl: `http://127.0.0.1:${SERVICES[4][1]}`, jwtSecret: secrets.JWT_SECRET, watch: tickets, audit: governance });
  await showCampaigns({ ingestUrl: `http://127.0.0.1:${SERVICES[0][1]}`, campaignUrl: `http://127.0.0.1:${SERVICES[3][1]}`, jwtSecret: secrets.JWT_SECRET, campaigns, watchCampaigns: decisions, watchTickets: tickets });
  await showLeads({ ingestUrl: `http://127.0.0.1:${SERVICES[0][1]}`, campaignUrl: `http://127.0.0.1:${SERVICES[3][1]}`, jwtSecret: secrets.JWT_SECRET });
  await showLoyalty({ ingestUrl: `http://127.0.0.1:${SERVICES[0][1]}`, campaignUrl: `http://127.0.0.1:${SERVICES[3][1]}`, jwtSecret: secrets.JWT_SECRET, watchCampaigns: decisions });
  await Promise.all([tickets.stop(), governance.stop(), decisions.stop()]);
  await printWayIn(secrets.JWT_SECRET, customer, secretsFile);

  if (exitWhenDone) await stop(0);
  log('Ctrl-C stops the services.');
}

main().catch(async (error) => {
  console.error(`[demo] FAILED: ${error.stack ?? error}`);
  await stop(1);
  process.exit(1);
});
