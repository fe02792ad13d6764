import { ServiceProcess, freePort, serviceTestEnv, spawnService, waitFor } from '@meridian/shared/testing';

/** A pino line at error (50) or fatal (60); the services write level labels, other pino set-ups numbers. */
function isErrorLine(line: string): boolean {
  if (!line.startsWith('{')) return false;
  try {
    const { level } = JSON.parse(line) as { level?: number | string };
    return typeof level === 'number' ? level >= 50 : level === 'error' || level === 'fatal';
  } catch {
    return false;
  }
}

/**
 * Issue 8 point 14: an error line means something is wrong, so a healthy start writes none.
 * Two instances start at once on fresh topics (a rolling deploy; the demo starts five
 * services so), racing to create the same topics, and /health is asked from their first
 * moment, while MongoDB is still connecting: the transients of a real start.
 */
describe('a healthy start of ingest (real Kafka, MongoDB-wire server and Redis)', () => {
  it('writes no line at level error or above, from start to a clean stop', async () => {
    const env = serviceTestEnv('ingest', { LOG_LEVEL: 'info' });
    const instances: ServiceProcess[] = [];
    try {
      for (const port of [await freePort(), await freePort()]) instances.push(spawnService('ingest', { ...env, PORT: String(port) }));
      await Promise.all(
        instances.map((proc) =>
          waitFor(async () => (await fetch(`${proc.url}/health`)).status === 200, 90_000, `${proc.url}/health to answer 200\n${proc.output()}`),
        ),
      );
    } finally {
      const exitCodes = await Promise.all(instances.map((proc) => proc.stop()));
      expect(exitCodes).toEqual(instances.map(() => 0));
    }
    const output = instances.map((proc) => proc.output()).join('\n');
    expect(output).toContain('ingest listening'); // the log is read at all
    expect(output.split('\n').filter(isErrorLine)).toEqual([]);
  });
});
