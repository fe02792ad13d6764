import type { ConnectOptions, Connection } from 'mongoose';

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

/**
 * Mongoose does not retry a first connection that failed: a service started while MongoDB
 * was unreachable for longer than the server selection timeout stayed disconnected for ever
 * — /health down, /health/live up, so never restarted. This tries again, with capped
 * backoff, until the first connection is made or the connection is closed (shutdown).
 * Once connected, the driver itself reconnects after an outage.
 */
export function keepConnecting(connection: Connection, uri: string, options: ConnectOptions): Connection {
  let closed = false;
  connection.once('close', () => (closed = true));
  const retry = (delayMs: number) => () => {
    const timer = setTimeout(() => {
      if (closed) return;
      connection.openUri(uri, options).catch(retry(Math.min(MAX_RETRY_MS, delayMs * 2)));
    }, delayMs);
    timer.unref();
  };
  connection.asPromise().catch(retry(FIRST_RETRY_MS));
  return connection;
}
