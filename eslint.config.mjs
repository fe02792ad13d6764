import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/**
 * Lint enforces the boundaries of STYLE.md (rules 5–6): Nx tags `scope:*` and `type:*`;
 * an app imports only shared libs, never another app; the contracts import only the
 * validation libraries.
 */
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
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/testing/**/*.ts', '**/fixtures/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
];
