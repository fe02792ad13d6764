/**
 * What the demo keeps between runs, beside the servers' data it belongs to
 * (`$INFRA_DIR/demo/`, `.infra/demo/` by default; git-ignored):
 *   - secrets.json: JWT_SECRET, FIELD_ENCRYPTION_MASTER_KEY and BLIND_INDEX_KEY, drawn once;
 *     FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS while a master key rotation runs (rotate-master-key.mjs).
 *     Profiles are sealed under data keys wrapped by the master key and customers are found
 *     through blind indexes, so a second run with new keys could read nothing the first
 *     stored (500s) and ingest would make a new customer of every known person.
 *   - last-customer.json: the customer the last run showed, read back by the next one.
 * Only built-ins and `jose` are imported: `npm run token` works before anything is built.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SECRET_NAMES = ['JWT_SECRET', 'FIELD_ENCRYPTION_MASTER_KEY', 'BLIND_INDEX_KEY'];
/** Present only during a master key rotation (ADR 0008). */
const OPTIONAL_SECRET_NAMES = ['FIELD_ENCRYPTION_PREVIOUS_MASTER_KEYS'];

/** The same directory tools/infra/infra.sh keeps its data in, so secrets and data go together. */
export function demoStateDir() {
  return path.join(path.resolve(root, process.env.INFRA_DIR ?? '.infra'), 'demo');
}

export const secretsFile = () => path.join(demoStateDir(), 'secrets.json');

export function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Writes owner-only (mode 600): these keys decrypt every stored profile. */
export function writePrivate(file, value, flag = 'w') {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, flag });
  chmodSync(file, 0o600);
}

/**
 * The demo's secrets: the stored ones, else new ones stored now. A variable set in the
 * environment wins (a user's own keys), as before. Returns where they are kept.
 */
export function demoSecrets({ create }) {
  const file = secretsFile();
  if (!existsSync(file)) {
    if (!create) throw new Error(`no demo secrets at ${file}: run \`npm run demo\` first`);
    const drawn = {
      JWT_SECRET: randomBytes(32).toString('hex'),
      FIELD_ENCRYPTION_MASTER_KEY: randomBytes(32).toString('base64'),
      BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
    };
    // 'wx': two demos starting at once must not each store their own keys.
    try {
      writePrivate(file, drawn, 'wx');
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
  }
  const stored = readJson(file);
  const missing = SECRET_NAMES.filter((name) => typeof stored[name] !== 'string' || !stored[name]);
  if (missing.length) throw new Error(`${file} lacks ${missing.join(', ')}; restore it, or delete it together with the servers' data (npm run infra:down; bash tools/infra/infra.sh clean)`);
  chmodSync(file, 0o600);
  const present = [...SECRET_NAMES, ...OPTIONAL_SECRET_NAMES.filter((name) => process.env[name] || stored[name])];
  const secrets = Object.fromEntries(present.map((name) => [name, process.env[name] || stored[name]]));
  return { secrets, file, fromEnvironment: present.filter((name) => process.env[name]) };
}

const lastCustomerFile = () => path.join(demoStateDir(), 'last-customer.json');

/** The customer the previous run showed, or undefined on a first run. */
export function previousCustomer() {
  return existsSync(lastCustomerFile()) ? readJson(lastCustomerFile()) : undefined;
}

export function rememberCustomer(customer) {
  writePrivate(lastCustomerFile(), customer);
}

/** An HS256 token as Meridian's identity provider would sign it (claims: CONTRACTS.md §5). */
export function signDemoToken(jwtSecret, { roles, branchId, sub, ttl = '12h' }) {
  return new SignJWT({ roles, branchId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(ttl)
    .sign(new TextEncoder().encode(jwtSecret));
}
