import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * The layer rules of eslint.config.mjs (STYLE.md rules 1 and 3, ARCHITECTURE.md
 * principle 6), tested on snippets linted as if they sat at the given paths. ESLint runs in
 * a child process: its flat config is an ES module, which Jest's CommonJS runtime does
 * not load.
 */
const ROOT = resolve(__dirname, '../..');
const LINT_TEXTS = `
  import { ESLint } from 'eslint';
  const cases = JSON.parse(await new Promise((done) => { let s = ''; process.stdin.on('data', (c) => (s += c)).on('end', () => done(s)); }));
  const eslint = new ESLint({ cwd: process.cwd() });
  const out = [];
  for (const { filePath, code } of cases) {
    const [result] = await eslint.lintText(code, { filePath });
    out.push(result.messages.map((m) => m.ruleId ?? m.message));
  }
  process.stdout.write(JSON.stringify(out));
`;

type Case = [name: string, filePath: string, code: string, rules: string[]];

const IMPORTS = 'no-restricted-imports';
const CLOCK = 'no-restricted-syntax';

const CASES: Case[] = [
  ['domain imports Nest', 'apps/ingest/src/intake/domain/x.ts', "import { Injectable } from '@nestjs/common';\nexport { Injectable };\n", [IMPORTS]],
  ['domain imports node:fs', 'apps/ingest/src/intake/domain/x.ts', "import { readFileSync } from 'node:fs';\nexport { readFileSync };\n", [IMPORTS]],
  ['domain imports child_process', 'apps/campaign/src/loyalty/domain/x.ts', "export { spawn } from 'child_process';\n", [IMPORTS]],
  ['domain imports mongoose', 'apps/ingest/src/intake/domain/x.ts', "import type { Connection } from 'mongoose';\nexport type C = Connection;\n", [IMPORTS]],
  ['domain imports infrastructure', 'apps/ingest/src/intake/domain/x.ts', "export { DedupStore } from '../infrastructure/dedup.store';\n", [IMPORTS]],
  ['domain imports the contracts', 'apps/ingest/src/intake/domain/x.ts', "export { TOPICS } from '@meridian/events';\n", []],
  ['domain reads Date.now()', 'apps/ingest/src/intake/domain/x.ts', 'export const at = Date.now();\n', [CLOCK]],
  ['domain spec writes new Date()', 'apps/ingest/src/intake/domain/x.spec.ts', 'export const at = new Date();\n', [CLOCK]],
  ['domain spec fixes a date', 'apps/ingest/src/intake/domain/x.spec.ts', "export const at = new Date('2026-03-01T09:30:00+08:00');\n", []],
  ['profile domain reads Date.now()', 'apps/profile/src/profile/domain/x.ts', 'export const at = Date.now();\n', [CLOCK]],
  ['application imports a repository', 'apps/ingest/src/identity/application/x.ts', "export { IdentityRepository } from '../infrastructure/identity.repository';\n", [IMPORTS]],
  ['application imports ioredis', 'apps/ingest/src/identity/application/x.ts', "import type Redis from 'ioredis';\nexport type R = Redis;\n", [IMPORTS]],
  ['application imports @nestjs/mongoose', 'apps/ingest/src/intake/application/x.ts', "export { InjectConnection } from '@nestjs/mongoose';\n", [IMPORTS]],
  ['application imports its port', 'apps/ingest/src/identity/application/x.ts', "export { IdentityStore } from './ports/identity-store.port';\n", []],
  ['application spec wires a repository', 'apps/ingest/src/identity/application/x.int-spec.ts', "export { IdentityRepository } from '../infrastructure/identity.repository';\n", []],
  ['adapter reads Date.now()', 'apps/ingest/src/intake/infrastructure/x.ts', 'export const at = Date.now();\n', [CLOCK]],
  ['adapter asks the Clock', 'apps/ingest/src/intake/infrastructure/x.ts', 'export const at = (clock: { now(): Date }) => new Date(clock.now().getTime() + 1);\n', []],
  ['integration spec reads Date.now()', 'apps/ingest/src/intake/infrastructure/x.int-spec.ts', 'export const at = Date.now();\n', []],
];

describe('the layer rules of eslint.config.mjs', () => {
  const found: string[][] = JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', LINT_TEXTS], {
      cwd: ROOT,
      input: JSON.stringify(CASES.map(([, filePath, code]) => ({ filePath: resolve(ROOT, filePath), code }))),
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false' },
    }),
  );

  it.each(CASES.map(([name, , , rules], i) => [name, rules, i] as const))('%s → %j', (_name, rules, i) => expect(found[i]).toEqual(rules));
});

/**
 * Issue 8, "must show": the whole tree lints with zero problems, so the layer rules guard
 * what the next services add. The Nx project graph is computed first: without it the
 * module-boundaries rule is skipped with no more than a console line.
 */
describe('the whole tree', () => {
  it('lints with zero errors and zero warnings', () => {
    const env = { ...process.env, NX_DAEMON: 'false' };
    execFileSync(process.execPath, [resolve(ROOT, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects'], { cwd: ROOT, env, stdio: 'ignore' });
    let output: string;
    try {
      output = execFileSync(process.execPath, [resolve(ROOT, 'node_modules/eslint/bin/eslint.js'), '.', '--format', 'json'], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? ''); // ESLint exits 1 when it finds problems
    }
    const report = JSON.parse(output) as Array<{ filePath: string; messages: Array<{ ruleId: string | null; message: string; line: number }> }>;
    const problems = report.flatMap((file) => file.messages.map((m) => `${file.filePath.slice(ROOT.length + 1)}:${m.line} ${m.ruleId ?? ''} ${m.message}`));
    expect(problems).toEqual([]);
  });
});
