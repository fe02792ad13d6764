#!/usr/bin/env node
/**
 * The npm registry reachable on our build machines serves native binaries only for the
 * platforms it needs (linux); npm leaves the others out of package-lock.json, and
 * `npm ci` then refuses the lock as out of sync. This adds each missing platform-specific
 * optional dependency as an optional entry with its os/cpu (read from its name), which
 * npm ci skips on a non-matching machine without downloading it. Run after `npm install`.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const OS = ['darwin', 'win32', 'linux', 'android', 'freebsd', 'openharmony', 'sunos', 'aix', 'netbsd', 'openbsd', 'wasm32'];
const CPU = { x64: 'x64', arm64: 'arm64', arm: 'arm', ia32: 'ia32', ppc64: 'ppc64', s390x: 's390x', riscv64: 'riscv64', wasi: 'wasm32', universal: null, loong64: 'loong64' };
let added = 0;
for (const [path, pkg] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const base = path ? `${path}/node_modules/${name}` : `node_modules/${name}`;
    if (lock.packages[base] || lock.packages[`node_modules/${name}`]) continue;
    const parts = name.split('/').pop().split('-');
    const os = parts.find((p) => OS.includes(p));
    if (!os) continue;
    const cpuKey = parts.find((p) => p in CPU);
    const cpu = os === 'wasm32' ? 'wasm32' : CPU[cpuKey];
    const entry = {
      version: String(version).replace(/^[\^~]/, ''),
      ...(cpu && { cpu: [cpu] }),
      ...(pkg.dev && { dev: true }),
      optional: true,
      os: [os === 'wasm32' ? 'none' : os],
    };
    lock.packages[`node_modules/${name}`] = entry;
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(`added ${added} optional platform entries`);
