/** Stops containers this run started; local infra stays up for the next run (`npm run infra:down` stops it). */
module.exports = async function globalTeardown() {
  const containers = globalThis.__MERIDIAN_CONTAINERS__ ?? [];
  globalThis.__MERIDIAN_CONTAINERS__ = [];
  await Promise.all(containers.map((c) => c.stop()));
};
