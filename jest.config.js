/** `npm test`: every project's unit, integration and end-to-end specs. */
module.exports = {
  projects: ['<rootDir>/libs/*/jest.config.js', '<rootDir>/apps/*/jest.config.js', '<rootDir>/tools/lint/jest.config.js'],
  reporters: ['default'],
  // Two workers: more only queue behind Kafka, FerretDB and the services on a 2-core machine.
  maxWorkers: 2,
  // testTimeout is a global option: in a multi-project run only this one counts.
  testTimeout: 180_000,
};
