#!/usr/bin/env node
/**
 * `npm run demo:rotate-master-key`: rotates the demo's master key (ADR 0008) in
 * `.infra/demo/secrets.json` — a new FIELD_ENCRYPTION_MASTER_KEY is drawn and the old one
 * moves to FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS; the next `npm run demo` starts profile with
 * both, and its re-wrap job moves every data key under the new key.
 * `npm run demo:rotate-master-key -- --finish`, with the demo running: asks profile
 * (GET /v1/admin/keys/rewrap) which previous keys are removable and drops only those from the
 * file — a key that still wraps data keys stays (without it profile would refuse to start).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readJson, root, secretsFile, signDemoToken, writePrivate } from './demo-state.mjs';

const PREVIOUS = 'FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS';
const { values } = parseArgs({ options: { finish: { type: 'boolean', default: false } } });
const file = secretsFile();
if (!existsSync(file)) throw new Error(`no demo secrets at ${file}: run \`npm run demo\` first`);
const stored = readJson(file);
const previous = (stored[PREVIOUS] ?? '').split(',').filter(Boolean);
// Built by the demo that drew the secrets: the key id profile reports is the key's check value.
const { FieldEncryption } = createRequire(import.meta.url)(path.join(root, 'libs/shared/dist/crypto/field-encryption.js'));
const keyId = (key) => new FieldEncryption(key).keyCheck();

if (!values.finish) {
  stored[PREVIOUS] = [stored.FIELD_ENCRYPTION_MASTER_KEY, ...previous].join(',');
  stored.FIELD_ENCRYPTION_MASTER_KEY = randomBytes(32).toString('base64');
  writePrivate(file, stored);
  console.log(`[demo] new master key ${keyId(stored.FIELD_ENCRYPTION_MASTER_KEY).slice(0, 12)}…; the old one is kept as previous until the re-wrap is done. Run \`npm run demo\`, then \`npm run demo:rotate-master-key -- --finish\`.`);
} else {
  const url = `http://127.0.0.1:${Number(process.env.DEMO_PORT_BASE ?? 3001) + 1}/v1/admin/keys/rewrap`;
  const token = await signDemoToken(stored.JWT_SECRET, { roles: ['ADMIN'], branchId: 'HQ', sub: 'demo-admin', ttl: '5m' });
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } }).catch((error) => {
    throw new Error(`profile does not answer at ${url} (${error.message}): run \`npm run demo\` first; nothing was changed`);
  });
  if (!res.ok) throw new Error(`profile answers HTTP ${res.status} at ${url}; nothing was changed`);
  const status = await res.json();
  const kept = previous.filter((key) => !status.removable.includes(keyId(key)));
  if (kept.length) stored[PREVIOUS] = kept.join(',');
  else delete stored[PREVIOUS];
  writePrivate(file, stored);
  console.log(`[demo] dropped ${previous.length - kept.length} previous master key(s); ${kept.length} still wrap data keys (run: ${status.run?.phase ?? 'none'})`);
}
