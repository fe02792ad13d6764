/**
 * Shared Jest settings for every project. SWC transpiles TypeScript with decorator
 * metadata (what NestJS DI needs); type checking is the build's job.
 */
const path = require('node:path');

const root = __dirname;

module.exports = {
  testEnvironment: 'node',
  // NestJS 12 ships ES modules only; Node 20.19+ loads them through require(esm), Jest
  // does not, so SWC turns them into CommonJS for tests.
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs)/)'],
  transform: {
    '^.+\\.(ts|js|mjs)$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@meridian/events$': path.join(root, 'libs/events/src/index.ts'),
    '^@meridian/events/kafka$': path.join(root, 'libs/events/src/kafka/index.ts'),
    '^@meridian/events/rules$': path.join(root, 'libs/events/src/rules/index.ts'),
    '^@meridian/events/testing$': path.join(root, 'libs/events/src/fixtures/event-samples.ts'),
    '^@meridian/shared$': path.join(root, 'libs/shared/src/index.ts'),
    '^@meridian/shared/testing$': path.join(root, 'libs/shared/src/testing/index.ts'),
  },
  testMatch: ['**/?(*.)+(spec|int-spec|e2e-spec).ts'],
  globalSetup: path.join(root, 'tools/jest/global-setup.js'),
  globalTeardown: path.join(root, 'tools/jest/global-teardown.js'),
  // Integration and end-to-end tests boot real processes on a shared 2-core machine.
  testTimeout: 180_000,
};
