import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/**
 * Lint enforces the boundaries of STYLE.md (rules 5–6): Nx tags `scope:*` and `type:*`;
 * an app imports only shared libs, never another app; the contracts import only the
 * validation libraries. And the layers inside a service (STYLE.md rules 1 and 3,
 * ARCHITECTURE.md principle 6): see layers below.
 */

const SPECS = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'];
const NODE_IO = ['fs', 'fs/*', 'net', 'http', 'https', 'http2', 'child_process', 'dgram', 'dns', 'dns/*', 'tls', 'cluster', 'worker_threads', 'readline', 'stream', 'stream/*', 'timers/promises'];

/** ARCHITECTURE.md principle 6: "now" comes from the event, an explicit asOf or the injected Clock. */
const NO_HIDDEN_CLOCK = [
  'error',
  { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Date.now() hides the clock: take the time from the event or asOf, or inject Clock (ARCHITECTURE.md principle 6)' },
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'new Date() hides the clock: take the time from the event or asOf, inject Clock, or (in a spec) use a fixed date (ARCHITECTURE.md principle 6)' },
];

/** STYLE.md rule 1: domain/ is pure types and functions — no Nest, no I/O, no clock. */
const DOMAIN_IMPORTS = [
  'error',
  {
    patterns: [
      { group: ['@nestjs/*', 'mongoose', 'ioredis', 'kafkajs', 'bullmq', '@meridian/events/kafka', '@meridian/shared', '@meridian/shared/*'], message: 'domain/ is pure: no framework, storage, broker or shared runtime (STYLE.md rule 1)' },
      { group: [...NODE_IO, ...NODE_IO.map((m) => `node:${m}`)], message: 'domain/ does no I/O (STYLE.md rule 1)' },
      { regex: '(^|/)(application|infrastructure|api)(/|$)', message: 'domain/ is the innermost layer: it imports no application, infrastructure or api code (STYLE.md rule 1)' },
    ],
  },
];

/** STYLE.md rule 3: application/ reaches storage through ports (abstract classes used as injection tokens). */
const APPLICATION_IMPORTS = [
  'error',
  {
    patterns: [
      { group: ['mongoose', '@nestjs/mongoose', 'ioredis'], message: 'application/ reaches storage through a port (an abstract class in application/ports), not the driver (STYLE.md rule 3)' },
      { regex: '(^|/)infrastructure(/|$)', message: 'application/ depends on a port (application/ports), which the infrastructure adapter implements and the module binds (STYLE.md rule 3)' },
    ],
  },
];

export default [
  { ignores: ['**/dist', '**/node_modules', '.infra', '.nx', 'coverage', 'tmp'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: ['@meridian/events/kafka', '@meridian/events/testing', '@meridian/shared/testing'],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:ingest', onlyDependOnLibsWithTags: ['scope:ingest', 'scope:shared'] },
            { sourceTag: 'scope:profile', onlyDependOnLibsWithTags: ['scope:profile', 'scope:shared'] },
            { sourceTag: 'scope:segmentation', onlyDependOnLibsWithTags: ['scope:segmentation', 'scope:shared'] },
            { sourceTag: 'scope:campaign', onlyDependOnLibsWithTags: ['scope:campaign', 'scope:shared'] },
            { sourceTag: 'scope:service-desk', onlyDependOnLibsWithTags: ['scope:service-desk', 'scope:shared'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The contract (everything but the Kafka runtime) depends only on class-validator/class-transformer.
    files: ['libs/events/src/**/*.ts'],
    ignores: ['libs/events/src/kafka/**', 'libs/events/src/**/*.spec.ts', 'libs/events/src/**/*.int-spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['kafkajs', '@nestjs/*', 'mongoose', 'ioredis', 'rxjs', '@meridian/shared*'], message: 'libs/events contracts depend only on class-validator/class-transformer (STYLE.md rule 6)' },
          ],
        },
      ],
    },
  },
  // Layers. Adapters and use cases ask the Clock; the domain not even that (its specs use fixed dates).
  { files: ['apps/*/src/**/*.ts'], ignores: [...SPECS, '**/testing/**'], rules: { 'no-restricted-syntax': NO_HIDDEN_CLOCK } },
  { files: ['**/domain/**/*.ts'], rules: { 'no-restricted-imports': DOMAIN_IMPORTS, 'no-restricted-syntax': NO_HIDDEN_CLOCK } },
  { files: ['**/application/**/*.ts'], ignores: SPECS, rules: { 'no-restricted-imports': APPLICATION_IMPORTS } },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/testing/**/*.ts', '**/fixtures/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
];
