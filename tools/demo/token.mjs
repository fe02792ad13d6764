#!/usr/bin/env node
/**
 * `npm run token -- --role RM --branch BR001 [--sub RM1] [--ttl 12h]`: prints a bearer token
 * the demo's services accept, signed HS256 with the JWT_SECRET `npm run demo` keeps in
 * `.infra/demo/secrets.json`. Several roles: `--role TELLER,SERVICE_AGENT`. An RM sees the
 * customers whose rmId is the token's `sub`; branch roles see their `--branch`.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { demoSecrets, root, signDemoToken } from './demo-state.mjs';

const usage = 'usage: npm run token -- --role ROLE[,ROLE…] [--branch BR001] [--sub SUBJECT] [--ttl 12h]';

/** The contract's roles, from the built events library; a misspelt role would only show as a 403 later. */
function knownRoles() {
  try {
    return createRequire(import.meta.url)(path.join(root, 'libs/events/dist/enums.js')).ROLES;
  } catch {
    return undefined; // not built yet: the services will judge the roles
  }
}

async function main() {
  const { values } = parseArgs({
    options: { role: { type: 'string', multiple: true }, branch: { type: 'string', default: 'BR001' }, sub: { type: 'string' }, ttl: { type: 'string', default: '12h' } },
  });
  const roles = (values.role ?? []).flatMap((r) => r.split(',')).map((r) => r.trim().toUpperCase()).filter(Boolean);
  if (!roles.length) throw new Error(usage);
  const known = knownRoles();
  const unknown = known ? roles.filter((r) => !known.includes(r)) : [];
  if (unknown.length) throw new Error(`unknown role ${unknown.join(', ')}; roles: ${known.join(', ')}`);
  const { secrets } = demoSecrets({ create: false });
  const sub = values.sub ?? `demo-${roles[0].toLowerCase().replace(/_/g, '-')}`;
  console.log(await signDemoToken(secrets.JWT_SECRET, { roles, branchId: values.branch, sub, ttl: values.ttl }));
}

main().catch((error) => {
  console.error(`[token] ${error.message}`);
  process.exit(1);
});
